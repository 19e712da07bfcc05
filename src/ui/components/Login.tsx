/** The sign-in page: e-mail, password and the language the desktop will speak. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { MeView } from "../../shared/protocol.ts";
import { ApiError, api, errorMessage } from "../api.ts";
import { ForgotPassword } from "../desk/account/ForgotPassword.tsx";
import { useI18n } from "../i18n.ts";
import { LanguageSelect } from "./LanguageSelect.tsx";

export function Login({ onSignedIn }: { onSignedIn: (me: MeView) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // "Forgot password?" swaps the card for the reset form; back puts focus where it was.
  const [forgot, setForgot] = useState<"no" | "open" | "back">("no");
  const forgotRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (forgot === "back") forgotRef.current?.focus();
  }, [forgot]);

  async function submit(event: Event) {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const me = await api.login(email.trim(), password);
      onSignedIn(me);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? t("login.invalid")
          : errorMessage(failure, t("app.networkError"), t("app.unexpectedError")),
      );
      setSubmitting(false);
    }
  }

  if (forgot === "open") {
    return (
      <main class="page-center login-page">
        <ForgotPassword initialEmail={email} onBack={() => setForgot("back")} />
      </main>
    );
  }

  return (
    <main class="page-center login-page">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title">
        <header class="login-header">
          <p class="brand">{t("app.name")}</p>
          <h1 id="login-title">{t("login.title")}</h1>
          <p class="muted">{t("login.subtitle")}</p>
        </header>
        <div class="field">
          <label for="login-email">{t("login.email")}</label>
          <input
            id="login-email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-password">{t("login.password")}</label>
          <input
            id="login-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-language">{t("language.label")}</label>
          <LanguageSelect id="login-language" />
        </div>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button
          id="login-submit"
          type="submit"
          class="button button-primary button-wide"
          disabled={submitting}
          aria-busy={submitting}
        >
          {submitting && <span class="spinner spinner-small" aria-hidden="true" />}
          {submitting ? t("login.submitting") : t("login.submit")}
        </button>
        <button
          id="forgot-password"
          ref={forgotRef}
          type="button"
          class="link-button"
          onClick={() => setForgot("open")}
        >
          {t("reset.open")}
        </button>
      </form>
    </main>
  );
}
