/**
 * `/welcome?token=…`: the page an invitation (or password-reset) mail links to. Shows
 * whose account it is, asks for a password twice, and on success the server signs the
 * user in; used, expired or unknown links get a clear explanation instead of a form.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { UserTokenView } from "../../../shared/admin.ts";
import { MeView } from "../../../shared/protocol.ts";
import { ApiError, errorMessage, request } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { LanguageSelect } from "../../components/LanguageSelect.tsx";
import { useI18n } from "../../i18n.ts";
import { MIN_PASSWORD_LENGTH, passwordProblem, tokenFromSearch } from "./welcome.ts";

type Phase =
  | { kind: "loading" }
  | { kind: "invalid"; reason: "missing" | "gone" }
  | { kind: "failed"; message: string }
  | { kind: "ready"; info: UserTokenView };

export function WelcomePage({
  search,
  onSignedIn,
}: {
  search: string;
  onSignedIn: (me: MeView) => void;
}) {
  const { t, setLanguage } = useI18n();
  const token = tokenFromSearch(search);
  const [phase, setPhase] = useState<Phase>(
    token ? { kind: "loading" } : { kind: "invalid", reason: "missing" },
  );
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<{ field: "password" | "confirm" | null; text: string } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  const describe = (failure: unknown) =>
    errorMessage(failure, t("app.networkError"), t("app.unexpectedError"));

  async function check() {
    if (!token) return;
    setPhase({ kind: "loading" });
    try {
      const info = await request(`/auth/token/${encodeURIComponent(token)}`, UserTokenView, {
        reportUnauthorized: false,
      });
      setLanguage(info.language);
      setPhase({ kind: "ready", info });
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 404 || failure.status === 410)) {
        setPhase({ kind: "invalid", reason: "gone" });
      } else {
        setPhase({ kind: "failed", message: describe(failure) });
      }
    }
  }

  // Checked once per token.
  useEffect(() => {
    void check();
  }, [token]);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy || !token) return;
    const problem = passwordProblem(password, confirm);
    if (problem) {
      setError(
        problem === "tooShort"
          ? { field: "password", text: t("welcome.tooShort", { n: MIN_PASSWORD_LENGTH }) }
          : { field: "confirm", text: t("welcome.mismatch") },
      );
      (problem === "tooShort" ? passwordRef : confirmRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await request("/auth/password", MeView, {
        method: "POST",
        body: { token, password },
        reportUnauthorized: false,
      });
      onSignedIn(me);
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && (failure.status === 404 || failure.status === 410)) {
        setPhase({ kind: "invalid", reason: "gone" });
        return;
      }
      const field =
        failure instanceof ApiError ? failure.fields.find((f) => f.path === "password") : null;
      setError(
        field
          ? { field: "password", text: field.message }
          : { field: null, text: t("welcome.failed", { message: describe(failure) }) },
      );
      requestAnimationFrame(() => (field ? passwordRef : summaryRef).current?.focus());
    }
  }

  let content = null;
  if (phase.kind === "loading") content = <Loading />;
  else if (phase.kind === "failed")
    content = <LoadError message={phase.message} onRetry={() => void check()} />;
  else if (phase.kind === "invalid")
    content = (
      <div class="welcome-invalid" role="alert">
        <h1 id="welcome-title">{t("welcome.invalidTitle")}</h1>
        <p>{t(phase.reason === "missing" ? "welcome.missing" : "welcome.gone")}</p>
        <a href="/" class="button">
          {t("welcome.toLogin")}
        </a>
      </div>
    );
  else {
    const { info } = phase;
    const reset = info.purpose === "reset";
    content = (
      <form
        id="welcome"
        class="login-card-form"
        onSubmit={submit}
        noValidate
        aria-labelledby="welcome-title"
      >
        <header class="login-header">
          <h1 id="welcome-title">
            {reset ? t("welcome.resetTitle") : t("welcome.title", { name: info.name })}
          </h1>
          <p class="muted">{reset ? t("welcome.resetIntro") : t("welcome.intro")}</p>
        </header>
        <div class="field">
          <span class="field-label">{t("login.email")}</span>
          <span id="welcome-email" class="field-value">
            {info.email}
          </span>
        </div>
        {/* Lets password managers store the new password under the right account. */}
        <input
          type="email"
          name="email"
          value={info.email}
          autoComplete="username"
          hidden
          readOnly
        />
        <div class="field">
          <label for="welcome-password">{t("welcome.password")}</label>
          <input
            ref={passwordRef}
            id="welcome-password"
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={200}
            value={password}
            aria-invalid={error?.field === "password" ? true : undefined}
            aria-describedby={
              error?.field === "password"
                ? "welcome-password-hint welcome-error"
                : "welcome-password-hint"
            }
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <p id="welcome-password-hint" class="field-help">
            {t("welcome.passwordHint", { n: MIN_PASSWORD_LENGTH })}
          </p>
        </div>
        <div class="field">
          <label for="welcome-password-confirm">{t("welcome.confirm")}</label>
          <input
            ref={confirmRef}
            id="welcome-password-confirm"
            type="password"
            name="confirm"
            autoComplete="new-password"
            required
            maxLength={200}
            value={confirm}
            aria-invalid={error?.field === "confirm" ? true : undefined}
            aria-describedby={error?.field === "confirm" ? "welcome-error" : undefined}
            onInput={(e) => setConfirm(e.currentTarget.value)}
          />
        </div>
        {error && (
          <p id="welcome-error" ref={summaryRef} class="form-error" role="alert" tabIndex={-1}>
            {error.text}
          </p>
        )}
        <button
          type="submit"
          class="button button-primary button-wide"
          disabled={busy}
          aria-busy={busy}
        >
          {busy && <span class="spinner spinner-small" aria-hidden="true" />}
          {busy ? t("admin.saving") : t("welcome.submit")}
        </button>
      </form>
    );
  }

  return (
    <main class="page-center login-page">
      <div class="login-card welcome-card">
        <p class="brand">{t("app.name")}</p>
        {content}
        <div class="field">
          <label for="welcome-language">{t("language.label")}</label>
          <LanguageSelect id="welcome-language" />
        </div>
      </div>
    </main>
  );
}
