/**
 * Sends a conversation's transcript by e-mail to any address: a modal dialog with the
 * address and Send. Success closes it and says so through `onSent`; a failure stays in
 * the dialog (next to the address when the server names it), so it can be corrected.
 */
import { useState } from "preact/hooks";
import type { TranscriptMailBody } from "../../../shared/customer-history.ts";
import { FormDialog } from "../../admin/editors/FormDialog.tsx";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { historyApi } from "./api.ts";

interface EmailDialogProps {
  customerId: string;
  conversationId: string;
  onSent: () => void;
  onClose: () => void;
  /**
   * Sends the mail, when not through the customer's history (the desktop's details pane
   * mails an open conversation; my history its own route).
   */
  send?: (body: TranscriptMailBody) => Promise<void>;
}

export function EmailDialog({
  customerId,
  conversationId,
  onSent,
  onClose,
  send: sendMail,
}: EmailDialogProps) {
  const { t, language } = useI18n();
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (!to.trim()) {
      setError(t("history.emailRequired"));
      document.getElementById("history-email-to")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = { to: to.trim(), language };
      await (sendMail ? sendMail(body) : historyApi.email(customerId, conversationId, body));
      onSent();
    } catch (failure) {
      const field =
        failure instanceof ApiError ? failure.fields.find((f) => f.path === "to") : undefined;
      setError(
        field?.message ??
          t("history.emailFailed", {
            message: errorMessage(failure, t("app.networkError"), t("app.unexpectedError")),
          }),
      );
      setBusy(false);
      document.getElementById("history-email-to")?.focus();
    }
  }

  return (
    <FormDialog title={t("history.emailTitle")} onClose={onClose} busy={busy}>
      <form class="history-email-form" onSubmit={(e) => void send(e)} noValidate>
        <p class="field-help">{t("history.emailHint")}</p>
        <div class={`field${error ? " has-error" : ""}`}>
          <label for="history-email-to">{t("history.emailTo")}</label>
          <input
            id="history-email-to"
            name="to"
            type="email"
            autoComplete="email"
            maxLength={254}
            required
            value={to}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "history-email-error" : undefined}
            onInput={(e) => {
              setTo(e.currentTarget.value);
              if (error) setError(null);
            }}
          />
          {error && (
            <p id="history-email-error" class="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose} disabled={busy}>
            {t("admin.cancel")}
          </button>
          <button
            id="history-email-send"
            type="submit"
            class="button button-primary"
            disabled={busy}
            aria-busy={busy}
          >
            {busy && <span class="spinner spinner-small" aria-hidden="true" />}
            {busy ? t("history.emailSending") : t("history.emailSend")}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}
