/** Active / invitation pending / deactivated, as a small badge with text (never colour alone). */
import { useI18n } from "../../i18n.ts";
import type { UserState } from "./drafts.ts";

export function UserStateBadge({ state }: { state: UserState }) {
  const { t } = useI18n();
  return (
    <span class={`badge-status state-${state}`} data-state={state}>
      {t(`userState.${state}`)}
    </span>
  );
}
