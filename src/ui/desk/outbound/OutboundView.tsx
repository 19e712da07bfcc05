/** Templates I sent without reply (they move to my conversations when the customer answers), and starting a conversation. */
import { useI18n } from "../../i18n.ts";

export function OutboundView({ onOpen: _onOpen }: { onOpen: (conversationId: string) => void }) {
  const { t } = useI18n();
  return <p class="empty-state pane-empty">{t("app.loading")}</p>;
}
