/** Waiting conversations: what nobody is working on right now, and Pick up for each. */
import { useI18n } from "../i18n.ts";
import { lifecycleApi } from "./api.ts";
import { usePolledList } from "./usePolledList.ts";
import { WaitingTable } from "./WaitingTable.tsx";

/** `onPickUp` resolves true once the conversation is on my desktop. */
export function WaitingView({
  onPickUp,
}: {
  onPickUp: (conversationId: string) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const list = usePolledList(lifecycleApi.waiting);
  return (
    <WaitingTable
      prefix="waiting"
      title={t("waiting.title")}
      empty={t("waiting.empty")}
      list={list}
      stateColumn="state"
      action={{
        className: "pick-up",
        label: "waiting.pickUp",
        ariaLabel: "waiting.pickUpLabel",
        run: onPickUp,
      }}
    />
  );
}
