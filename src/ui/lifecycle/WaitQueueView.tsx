/** My wait queue: the conversations I parked, and Resume for each. */
import { useI18n } from "../i18n.ts";
import { lifecycleApi } from "./api.ts";
import { usePolledList } from "./usePolledList.ts";
import { WaitingTable } from "./WaitingTable.tsx";

/** `onUnpause` resolves true once the conversation is back on my desktop. */
export function WaitQueueView({
  onUnpause,
}: {
  onUnpause: (conversationId: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const list = usePolledList(lifecycleApi.waitQueue);
  return (
    <WaitingTable
      prefix="wait-queue"
      title={t("waitQueue.title")}
      empty={t("waitQueue.empty")}
      list={list}
      stateColumn="kind"
      action={{
        className: "unpause",
        label: "waitQueue.unpause",
        ariaLabel: "waitQueue.unpauseLabel",
        run: onUnpause,
      }}
    />
  );
}
