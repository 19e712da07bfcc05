/**
 * The profile dialog, opened from the desk's header (loaded on first use): my name and
 * language (the e-mail shown read-only), and a separate form to change my password with
 * the current one. Errors sit under their field and take the focus; Escape and Close
 * return focus to the header's button.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type AccountView, MIN_PASSWORD_LENGTH } from "../../../shared/protocol.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { LANGUAGES, parseLanguage, useI18n } from "../../i18n.ts";
import { Modal } from "../../lifecycle/Modal.tsx";
import { accountApi } from "./api.ts";
import "./account.css";

type Load = { kind: "loading" } | { kind: "failed"; message: string } | { kind: "ready" };

export default function ProfileDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [account, setAccount] = useState<AccountView | null>(null);
  const [busy, setBusy] = useState(false);

  async function fetchAccount() {
    setLoad({ kind: "loading" });
    try {
      setAccount(await accountApi.get());
      setLoad({ kind: "ready" });
    } catch (failure) {
      setLoad({
        kind: "failed",
        message: errorMessage(failure, t("app.networkError"), t("app.unexpectedError")),
      });
    }
  }

  useEffect(() => {
    void fetchAccount();
  }, []);

  return (
    <Modal
      id="profile-dialog"
      titleId="profile-title"
      descriptionId="profile-description"
      busy={busy}
      onCancel={onClose}
    >
      <div class="profile-dialog-body">
        <div class="dialog-header">
          <div>
            <h2 id="profile-title">{t("profile.title")}</h2>
            <p id="profile-description" class="muted">
              {t("profile.description")}
            </p>
          </div>
          <button id="profile-close" type="button" class="button" onClick={onClose} disabled={busy}>
            {t("profile.close")}
          </button>
        </div>
        {load.kind === "loading" && <Loading />}
        {load.kind === "failed" && (
          <LoadError message={load.message} onRetry={() => void fetchAccount()} />
        )}
        {load.kind === "ready" && account && (
          <div class="profile-sections">
            <ProfileForm account={account} onSaved={setAccount} onBusy={setBusy} />
            {account.role !== "operator" ? (
              <PasswordForm onBusy={setBusy} />
            ) : (
              <p class="muted">{t("profile.operator")}</p>
            )}
          </div>
        )}
      </div>
    </Modal>
  );
}

function FieldMessage({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} class="field-error">
      {message}
    </p>
  );
}

function ProfileForm({
  account,
  onSaved,
  onBusy,
}: {
  account: AccountView;
  onSaved: (account: AccountView) => void;
  onBusy: (busy: boolean) => void;
}) {
  const { t, language: uiLanguage, setLanguage } = useI18n();
  const [name, setName] = useState(account.name);
  const [language, setLanguageDraft] = useState(account.language);
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  // The form appears once the profile has loaded, after the dialog took the focus.
  useEffect(() => nameRef.current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setSaved(false);
    setError(null);
    if (!name.trim()) {
      setNameError(t("profile.nameRequired"));
      nameRef.current?.focus();
      return;
    }
    setNameError(null);
    setBusy(true);
    onBusy(true);
    try {
      const updated = await accountApi.update({ name: name.trim(), language });
      onSaved(updated);
      setName(updated.name);
      setSaved(true);
      // The whole desktop speaks the chosen language from now on.
      if (updated.language !== uiLanguage) setLanguage(updated.language);
    } catch (failure) {
      const named = failure instanceof ApiError && failure.fields.some((f) => f.path === "name");
      const message = errorMessage(failure, t("app.networkError"), t("app.unexpectedError"));
      if (named) {
        setNameError(message);
        nameRef.current?.focus();
      } else setError(message);
    } finally {
      setBusy(false);
      onBusy(false);
    }
  }

  return (
    <form id="profile-form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t("profile.title")}</legend>
        <div class="field">
          <label for="profile-name">{t("profile.name")}</label>
          <input
            id="profile-name"
            ref={nameRef}
            data-autofocus
            type="text"
            autoComplete="name"
            required
            maxLength={100}
            value={name}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "profile-name-error" : undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <FieldMessage id="profile-name-error" message={nameError} />
        </div>
        <div class="field">
          <label for="profile-email">{t("profile.email")}</label>
          <input
            id="profile-email"
            type="email"
            readOnly
            value={account.email}
            aria-describedby="profile-email-hint"
          />
          <p id="profile-email-hint" class="field-help">
            {t("profile.emailHint")}
          </p>
        </div>
        <div class="field">
          <label for="profile-language">{t("profile.language")}</label>
          <select
            id="profile-language"
            value={language}
            onChange={(e) => {
              const chosen = parseLanguage(e.currentTarget.value);
              if (chosen) setLanguageDraft(chosen);
            }}
          >
            {LANGUAGES.map((code) => (
              <option key={code} value={code} lang={code}>
                {t(`language.${code}`)}
              </option>
            ))}
          </select>
        </div>
        <p class="form-error" role="alert">
          {error}
        </p>
        <p id="profile-saved" class="form-success" role="status">
          {saved ? t("profile.saved") : ""}
        </p>
        <button
          id="profile-save"
          type="submit"
          class="button button-primary"
          disabled={busy}
          aria-busy={busy}
        >
          {busy && <span class="spinner spinner-small" aria-hidden="true" />}
          {busy ? t("profile.saving") : t("profile.save")}
        </button>
      </fieldset>
    </form>
  );
}

type PasswordField = "currentPassword" | "newPassword" | "confirmPassword";

function PasswordForm({ onBusy }: { onBusy: (busy: boolean) => void }) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<PasswordField, string>>({
    currentPassword: "",
    newPassword: "",
    confirmPassword: "",
  });
  const [errors, setErrors] = useState<Partial<Record<PasswordField, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const refs = {
    currentPassword: useRef<HTMLInputElement>(null),
    newPassword: useRef<HTMLInputElement>(null),
    confirmPassword: useRef<HTMLInputElement>(null),
  };

  function refuse(field: PasswordField, message: string) {
    setErrors({ [field]: message });
    refs[field].current?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setSaved(false);
    setError(null);
    if (!values.currentPassword) return refuse("currentPassword", t("profile.wrongPassword"));
    if (values.newPassword.length < MIN_PASSWORD_LENGTH) {
      return refuse("newPassword", t("profile.tooShort", { n: MIN_PASSWORD_LENGTH }));
    }
    if (values.newPassword !== values.confirmPassword) {
      return refuse("confirmPassword", t("profile.mismatch"));
    }
    setErrors({});
    setBusy(true);
    onBusy(true);
    try {
      await accountApi.changePassword({
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      setValues({ currentPassword: "", newPassword: "", confirmPassword: "" });
      setSaved(true);
    } catch (failure) {
      const field = failure instanceof ApiError ? failure.fields[0]?.path : undefined;
      if (failure instanceof ApiError && failure.code === "wrong_password") {
        refuse("currentPassword", t("profile.wrongPassword"));
      } else if (field === "newPassword") {
        refuse(
          "newPassword",
          values.newPassword === values.currentPassword
            ? t("profile.samePassword")
            : t("profile.tooShort", { n: MIN_PASSWORD_LENGTH }),
        );
      } else {
        setError(errorMessage(failure, t("app.networkError"), t("app.unexpectedError")));
      }
    } finally {
      setBusy(false);
      onBusy(false);
    }
  }

  const input = (
    field: PasswordField,
    id: string,
    label: string,
    autoComplete: string,
    hint?: string,
  ) => {
    const describedBy = [hint ? `${id}-hint` : null, errors[field] ? `${id}-error` : null]
      .filter(Boolean)
      .join(" ");
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <input
          id={id}
          ref={refs[field]}
          type="password"
          autoComplete={autoComplete}
          required
          maxLength={200}
          value={values[field]}
          aria-invalid={errors[field] ? true : undefined}
          aria-describedby={describedBy || undefined}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setValues((v) => ({ ...v, [field]: value }));
          }}
        />
        {hint && (
          <p id={`${id}-hint`} class="field-help">
            {hint}
          </p>
        )}
        <FieldMessage id={`${id}-error`} message={errors[field] ?? null} />
      </div>
    );
  };

  return (
    <form id="password-form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t("profile.passwordTitle")}</legend>
        {input(
          "currentPassword",
          "current-password",
          t("profile.currentPassword"),
          "current-password",
        )}
        {input(
          "newPassword",
          "new-password",
          t("profile.newPassword"),
          "new-password",
          t("profile.newPasswordHint", { n: MIN_PASSWORD_LENGTH }),
        )}
        {input("confirmPassword", "confirm-password", t("profile.confirmPassword"), "new-password")}
        <p class="form-error" role="alert">
          {error}
        </p>
        <p id="password-saved" class="form-success" role="status">
          {saved ? t("profile.passwordSaved") : ""}
        </p>
        <button
          id="password-save"
          type="submit"
          class="button button-primary"
          disabled={busy}
          aria-busy={busy}
        >
          {busy && <span class="spinner spinner-small" aria-hidden="true" />}
          {busy ? t("profile.passwordSaving") : t("profile.passwordSave")}
        </button>
      </fieldset>
    </form>
  );
}
