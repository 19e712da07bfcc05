/**
 * Under one of our messages whose sending went wrong: "not confirmed" (WhatsApp never
 * answered and no status came, so it may or may not have arrived) or failed (with the
 * reason in words), and a Resend action that sends it again as a new message, once.
 */
import { useState } from "preact/hooks";
import type { MessageView } from "../../../shared/protocol.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { type Translate, useI18n } from "../../i18n.ts";
import { failureText } from "./failure.ts";

type ResendState =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "done" }
  | { kind: "failed"; text: string };

/** The API's refusals of a resend, in words (anything else: the generic texts). */
const REFUSALS = ["window_closed", "closed", "not_resendable", "not_found"] as const;

function refusalText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const code = REFUSALS.find((c) => c === error.code);
    if (code) return t(`messages.resend.${code}`);
  }
  return errorMessage(error, t("app.networkError"), t("app.unexpectedError"));
}

export function SendProblem({
  message,
  onResend,
}: {
  message: MessageView;
  /** Resends the message (rejects with the API's error); absent: no Resend action. */
  onResend?: ((messageId: string) => Promise<void>) | undefined;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<ResendState>({ kind: "idle" });
  const failure = failureText(message.error);
  const explanation =
    message.status === "unconfirmed"
      ? t("messages.unconfirmed")
      : `${t(failure.key)}${failure.code === null ? "" : ` ${t("messages.failed.code", { code: String(failure.code) })}`}`;
  const resent = message.resentAs !== null || state.kind === "done";

  const resend = async () => {
    if (!onResend) return;
    setState({ kind: "sending" });
    try {
      await onResend(message.id);
      setState({ kind: "done" });
    } catch (error) {
      setState({ kind: "failed", text: refusalText(t, error) });
    }
  };

  return (
    <div class="message-problem" data-problem={message.status ?? ""}>
      <p class="message-error">{explanation}</p>
      {resent ? (
        <p class="message-resent">{t("messages.resent")}</p>
      ) : (
        onResend && (
          <button
            type="button"
            class="link-button message-resend"
            aria-label={t("messages.resend.label")}
            disabled={state.kind === "sending"}
            onClick={() => void resend()}
          >
            {state.kind === "sending" ? t("messages.resending") : t("messages.resend")}
          </button>
        )
      )}
      {state.kind === "failed" && (
        <p class="message-error" role="alert">
          {t("messages.resend.failed", { message: state.text })}
        </p>
      )}
    </div>
  );
}
