/**
 * The sign-in page's "Forgot password?" form: asks for the e-mail and says a link is on
 * its way — the same words whether or not the address has an account, as the server's
 * answer is the same too. The link leads to the welcome page, which sets the password.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { accountApi } from "./api.ts";
import "./account.css";

const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function ForgotPassword({
  initialEmail,
  onBack,
}: {
  /** What was typed in the sign-in form, to start from. */
  initialEmail: string;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState(initialEmail);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const sentRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => emailRef.current?.focus(), []);
  useEffect(() => {
    if (sentTo) sentRef.current?.focus();
  }, [sentTo]);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const address = email.trim();
    if (!LOOKS_LIKE_EMAIL.test(address)) {
      setError(t("reset.invalidEmail"));
      emailRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await accountApi.requestReset(address);
      setSentTo(address);
    } catch (failure) {
      setError(errorMessage(failure, t("app.networkError"), t("app.unexpectedError")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="login-card" onSubmit={submit} aria-labelledby="reset-title" noValidate>
      <header class="login-header">
        <p class="brand">{t("app.name")}</p>
        <h1 id="reset-title">{t("reset.title")}</h1>
        <p class="muted">{t("reset.intro")}</p>
      </header>
      {sentTo ? (
        <p id="reset-sent" class="form-success" role="status" tabIndex={-1} ref={sentRef}>
          {t("reset.sent", { email: sentTo })}
        </p>
      ) : (
        <>
          <div class="field">
            <label for="reset-email">{t("reset.email")}</label>
            <input
              id="reset-email"
              ref={emailRef}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "reset-error" : undefined}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <p id="reset-error" class="form-error" role="alert">
            {error}
          </p>
          <button
            id="reset-submit"
            type="submit"
            class="button button-primary button-wide"
            disabled={busy}
            aria-busy={busy}
          >
            {busy && <span class="spinner spinner-small" aria-hidden="true" />}
            {busy ? t("reset.submitting") : t("reset.submit")}
          </button>
        </>
      )}
      <button id="reset-back" type="button" class="link-button" onClick={onBack}>
        {t("reset.back")}
      </button>
    </form>
  );
}
