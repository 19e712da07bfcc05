/**
 * A number's write-only credentials: only "set" or "not set" is ever shown. Replace
 * opens a password input; Clear (after a confirm) removes the credential. Each change
 * saves at once with the number's version, so it lives outside the details form.
 * A new access token is kept only if Meta confirms it reads this number; when it
 * does not, the server's reason shows under the input and the old token stays.
 */
import { useRef, useState } from "preact/hooks";
import type { NumberView } from "../../../shared/admin.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { formatDateTime } from "../format.ts";
import { ConfirmDialog, FieldError, useAdmin } from "../kit/index.ts";
import { numbersApi } from "./api.ts";

type Key = "accessToken" | "appSecret";

interface CredentialsSectionProps {
  number: NumberView;
  onNumberChange: (view: NumberView) => void;
  /** Fetches the number afresh (after a conflict). */
  onReload: () => Promise<void>;
}

export function CredentialsSection({ number, onNumberChange, onReload }: CredentialsSectionProps) {
  const { t, language } = useI18n();
  const { showToast } = useAdmin();
  const [editing, setEditing] = useState<Key | null>(null);
  const [value, setValue] = useState("");
  const [clearing, setClearing] = useState<Key | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ key: Key; message: string } | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const isSet = (key: Key) => (key === "accessToken" ? number.hasAccessToken : number.hasAppSecret);

  async function save(key: Key, next: string | null) {
    setBusy(true);
    setError(null);
    try {
      const view = await numbersApi.setCredentials(number.id, {
        version: number.version,
        [key]: next,
      });
      onNumberChange(view);
      setEditing(null);
      setValue("");
      setConflict(null);
      showToast(t(next === null ? "credentials.cleared" : "credentials.replaced"));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) setConflict(failure.message);
      else {
        const field =
          failure instanceof ApiError ? failure.fields.find((f) => f.path === key) : null;
        setError({
          key,
          message:
            field?.message ??
            errorMessage(failure, t("app.networkError"), t("app.unexpectedError")),
        });
        inputRef.current?.focus();
      }
      throw failure;
    } finally {
      setBusy(false);
    }
  }

  const row = (key: Key) => {
    const label = t(key === "accessToken" ? "credentials.accessToken" : "credentials.appSecret");
    const inputId = `credential-${key}`;
    const errorId = `${inputId}-error`;
    const rowError = error?.key === key ? error.message : undefined;
    return (
      <div class="credential" data-credential={key}>
        <p class="credential-status">
          <strong>{label}</strong>{" "}
          <span class={isSet(key) ? "badge-status is-on" : "badge-status"}>
            {isSet(key) ? t("credentials.set") : t("credentials.notSet")}
          </span>
        </p>
        {editing === key ? (
          <div class="credential-edit">
            <label for={inputId}>{t("credentials.newValue", { name: label })}</label>
            <input
              ref={inputRef}
              id={inputId}
              name={key}
              type="password"
              autoComplete="new-password"
              value={value}
              maxLength={key === "accessToken" ? 1000 : 200}
              aria-invalid={rowError ? true : undefined}
              aria-describedby={rowError ? errorId : undefined}
              onInput={(e) => setValue(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  if (value.trim()) void save(key, value.trim()).catch(() => undefined);
                } else if (e.key === "Escape") {
                  setEditing(null);
                }
              }}
            />
            <FieldError id={errorId} path={key} message={rowError} />
            <div class="row-actions">
              <button
                type="button"
                class="button button-primary credential-save"
                disabled={busy || !value.trim()}
                onClick={() => void save(key, value.trim()).catch(() => undefined)}
              >
                {t("admin.save")}
              </button>
              <button
                type="button"
                class="button"
                disabled={busy}
                onClick={() => {
                  setEditing(null);
                  setError(null);
                }}
              >
                {t("admin.cancel")}
              </button>
            </div>
          </div>
        ) : (
          <div class="row-actions">
            <FieldError id={errorId} path={key} message={rowError} />
            <button
              type="button"
              class="button credential-replace"
              disabled={busy}
              onClick={() => {
                setEditing(key);
                setValue("");
                setError(null);
                requestAnimationFrame(() => inputRef.current?.focus());
              }}
            >
              {isSet(key) ? t("credentials.replace") : t("credentials.setNow")}
            </button>
            {isSet(key) && (
              <button
                type="button"
                class="button button-danger-outline credential-clear"
                disabled={busy}
                onClick={() => setClearing(key)}
              >
                {t("credentials.clear")}
              </button>
            )}
          </div>
        )}
      </div>
    );
  };

  return (
    <section class="credentials field-group" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">{t("credentials.title")}</h2>
      <p class="field-help">{t("credentials.hint")}</p>
      {conflict && (
        <div class="conflict" role="alert">
          <p>{conflict}</p>
          <button
            type="button"
            class="button conflict-reload"
            onClick={() => void onReload().then(() => setConflict(null))}
          >
            {t("form.conflictReload")}
          </button>
        </div>
      )}
      <p class="field-help credential-proof" data-proved={number.provedAt !== null}>
        {number.provedAt !== null
          ? t("credentials.proved", { date: formatDateTime(language, number.provedAt) })
          : t("credentials.notProved")}
      </p>
      {row("accessToken")}
      {row("appSecret")}
      {clearing && (
        <ConfirmDialog
          title={t("credentials.clearTitle")}
          message={t("credentials.clearMessage", {
            name: t(
              clearing === "accessToken" ? "credentials.accessToken" : "credentials.appSecret",
            ),
          })}
          confirmLabel={t("credentials.clear")}
          danger
          onConfirm={async () => {
            try {
              await save(clearing, null);
            } finally {
              setClearing(null);
            }
          }}
          onCancel={() => setClearing(null)}
        />
      )}
    </section>
  );
}
