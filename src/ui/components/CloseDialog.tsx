/**
 * Asks for the closing reason and optional notes (kept in the customer's
 * history). It loads the conversation's close options when opened: with a
 * profiling tree the agent picks a reason level by level (or finds it with the
 * search box), otherwise types one freely; notes are enabled only where the
 * number's rules allow them, and Confirm waits for a valid choice. The server's
 * refusals are shown next to the field they name.
 *
 * A native modal <dialog>: the page behind is inert and Escape cancels; Tab is
 * additionally wrapped so focus never leaves for the browser chrome. Focus
 * returns to whatever opened it.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { CLOSE_REASON_SEPARATOR, CloseBody, type CloseOptions } from "../../shared/protocol.ts";
import { ApiError, api, errorMessage } from "../api.ts";
import { useI18n } from "../i18n.ts";
import {
  choiceLevels,
  closeState,
  leavesOf,
  type ReasonLeaf,
  searchLeaves,
} from "./close-reasons.ts";
import { LoadError, Loading } from "./Feedback.tsx";

/** Max length of a free closing reason, as the server validates it. */
const MAX_REASON_LENGTH = CloseBody.shape.reason.unwrap().maxLength ?? 500;
/** Max length of the closing notes, as the server validates them. */
const MAX_NOTES_LENGTH = CloseBody.shape.notes.unwrap().maxLength ?? 2000;

interface CloseDialogProps {
  conversationId: string;
  customerName: string;
  /** Closes the conversation; rejects with the error to show (an ApiError's fields go next to their inputs). */
  onConfirm: (body: CloseBody) => Promise<void>;
  onCancel: () => void;
}

type Loaded =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | { kind: "loaded"; options: CloseOptions };

/** Errors shown next to their field; `form` for anything else. */
interface Errors {
  reasonId?: string;
  reason?: string;
  notes?: string;
  form?: string;
}

/** Mount to open, unmount to close. */
export function CloseDialog({
  conversationId,
  customerName,
  onConfirm,
  onCancel,
}: CloseDialogProps) {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const firstSelectRef = useRef<HTMLSelectElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [loaded, setLoaded] = useState<Loaded>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [path, setPath] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const [notes, setNotes] = useState("");
  const [search, setSearch] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // `attempt` is the Retry button's trigger.
  useEffect(() => {
    let live = true;
    setLoaded({ kind: "loading" });
    api.closeOptions(conversationId).then(
      (options) => live && setLoaded({ kind: "loaded", options }),
      (failure: unknown) =>
        live &&
        setLoaded({
          kind: "failed",
          message: errorMessage(failure, t("app.networkError"), t("app.unexpectedError")),
        }),
    );
    return () => {
      live = false;
    };
  }, [conversationId, attempt, t]);

  // Once the choices are drawn, start at the first one.
  useEffect(() => {
    if (loaded.kind === "loaded") (firstSelectRef.current ?? reasonRef.current)?.focus();
  }, [loaded.kind]);

  const options = loaded.kind === "loaded" ? loaded.options : null;
  const hasTree = (options?.tree.length ?? 0) > 0;
  const leaves = useMemo(() => leavesOf(options?.tree ?? []), [options]);
  const hits = useMemo(() => searchLeaves(leaves, search), [leaves, search]);
  const levels = options ? choiceLevels(options.tree, path) : [];
  const state = options ? closeState(options, path) : null;
  const canConfirm = !busy && state !== null && state.valid;

  function choose(level: number, id: string) {
    setPath((current) => [...current.slice(0, level), ...(id ? [id] : [])]);
    setErrors((e) => ({ ...e, reasonId: undefined, notes: undefined }));
  }

  function pick(hit: ReasonLeaf) {
    setPath(hit.ids);
    setSearch("");
    setErrors((e) => ({ ...e, reasonId: undefined, notes: undefined }));
    // The last choice now shows the leaf: put focus there, where the agent can check it.
    requestAnimationFrame(() =>
      dialogRef.current
        ?.querySelector<HTMLElement>(`select[name="reason-${hit.ids.length}"]`)
        ?.focus(),
    );
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!options || !state) return;
    if (!state.valid) {
      setErrors({ reasonId: t(state.incomplete ? "close.moreSpecific" : "close.required") });
      return;
    }
    const body: CloseBody = {};
    if (state.leaf) body.reasonId = state.leaf.id;
    else if (!hasTree && reason.trim()) body.reason = reason.trim();
    if (state.notesAllowed && notes.trim()) body.notes = notes.trim();
    setBusy(true);
    setErrors({});
    try {
      await onConfirm(body);
    } catch (failure) {
      const found = errorsOf(failure);
      setErrors(found);
      setBusy(false);
      // The tree may have changed under us (an admin removed or split a reason): redraw it.
      if (found.reasonId) {
        api.closeOptions(conversationId).then(
          (fresh) => setLoaded({ kind: "loaded", options: fresh }),
          () => {}, // keep the choices drawn; the error already says what to do
        );
      }
    }
  }

  function errorsOf(failure: unknown): Errors {
    const found: Errors = {};
    if (failure instanceof ApiError) {
      for (const field of failure.fields) {
        if (field.path === "reasonId" || field.path === "reason" || field.path === "notes") {
          found[field.path] = field.message;
        }
      }
    }
    if (Object.keys(found).length > 0) return found;
    return {
      form: t("close.failed", {
        message: errorMessage(failure, t("app.networkError"), t("app.unexpectedError")),
      }),
    };
  }

  function onSearchKey(event: KeyboardEvent) {
    if (event.key === "ArrowDown" && hits.length > 0) {
      event.preventDefault();
      dialogRef.current?.querySelector<HTMLButtonElement>(".close-hit")?.focus();
    } else if (event.key === "Enter") {
      // Enter in the search picks the only hit instead of submitting the form.
      event.preventDefault();
      const only = hits.length === 1 ? hits[0] : undefined;
      if (only) pick(only);
    } else if (event.key === "Escape" && search) {
      event.preventDefault();
      event.stopPropagation();
      setSearch("");
    }
  }

  function onHitKey(event: KeyboardEvent) {
    const buttons = Array.from(
      dialogRef.current?.querySelectorAll<HTMLButtonElement>(".close-hit") ?? [],
    );
    const at = buttons.indexOf(event.currentTarget as HTMLButtonElement);
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = buttons[at + step];
    if (next) next.focus();
    else if (step < 0)
      dialogRef.current?.querySelector<HTMLInputElement>("#close-reason-search")?.focus();
  }

  function trapTab(event: KeyboardEvent) {
    if (event.key !== "Tab" || !dialogRef.current) return;
    const focusable = Array.from(
      dialogRef.current.querySelectorAll<HTMLElement>(
        "button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex='-1'])",
      ),
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  const notesDisabled = busy || !state?.notesAllowed;

  return (
    <dialog
      ref={dialogRef}
      class="dialog close-dialog"
      aria-labelledby="close-title"
      aria-describedby="close-description"
      onKeyDown={trapTab}
      onCancel={(e) => {
        // Escape: let us unmount it rather than the browser closing it behind our back.
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form onSubmit={submit} noValidate aria-busy={loaded.kind === "loading"}>
        <h2 id="close-title">{t("close.title")}</h2>
        <p id="close-description">{t("close.description", { name: customerName })}</p>

        {loaded.kind === "loading" && <Loading />}
        {loaded.kind === "failed" && (
          <LoadError
            message={t("close.optionsFailed", { message: loaded.message })}
            onRetry={() => setAttempt((n) => n + 1)}
          />
        )}

        {options && hasTree && (
          <fieldset class="close-reasons" aria-describedby="close-reason-help close-reason-error">
            <legend>
              {t("close.reason")}{" "}
              {!options.required && <span class="muted">({t("close.reasonOptional")})</span>}
            </legend>
            <div class="field close-search">
              <label for="close-reason-search">{t("close.search")}</label>
              <input
                id="close-reason-search"
                type="search"
                autoComplete="off"
                value={search}
                disabled={busy}
                aria-controls="close-hits"
                aria-describedby="close-search-help"
                onInput={(e) => setSearch(e.currentTarget.value)}
                onKeyDown={onSearchKey}
              />
              <p id="close-search-help" class="field-help">
                {t("close.searchHelp")}
              </p>
              {search.trim() && (
                <div id="close-hits" class="close-hits" aria-live="polite">
                  {hits.length === 0 ? (
                    <p class="field-help">{t("close.noHits")}</p>
                  ) : (
                    <ul aria-label={t("close.hits", { n: hits.length })}>
                      {hits.map((hit) => (
                        <li key={hit.ids.join("/")}>
                          <button
                            type="button"
                            class="close-hit"
                            onClick={() => pick(hit)}
                            onKeyDown={onHitKey}
                          >
                            {hit.text}
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
            </div>
            {levels.map((level, i) => {
              const n = i + 1;
              return (
                <div class="field" key={`${n}-${level.options[0]?.id ?? ""}`}>
                  <label for={`close-reason-${n}`}>
                    {level.label ?? (i === 0 ? t("close.level1") : t("close.detail"))}
                  </label>
                  <select
                    id={`close-reason-${n}`}
                    name={`reason-${n}`}
                    ref={i === 0 ? firstSelectRef : undefined}
                    value={level.chosen ?? ""}
                    disabled={busy}
                    aria-invalid={errors.reasonId !== undefined && n === levels.length}
                    onChange={(e) => choose(i, e.currentTarget.value)}
                  >
                    <option value="">{t("close.choose")}</option>
                    {level.options.map((node) => (
                      <option key={node.id} value={node.id}>
                        {node.value}
                      </option>
                    ))}
                  </select>
                </div>
              );
            })}
            <p id="close-reason-help" class="field-help">
              {state?.leaf
                ? t("close.chosen", { path: chosenText(levels) })
                : state?.incomplete
                  ? t("close.moreSpecific")
                  : options.required
                    ? t("close.requiredHelp")
                    : t("close.optionalHelp")}
            </p>
            <p id="close-reason-error" class="form-error" role="alert">
              {errors.reasonId}
            </p>
          </fieldset>
        )}

        {options && !hasTree && (
          <div class="field">
            <label for="close-reason">
              {t("close.reason")} <span class="muted">({t("close.reasonOptional")})</span>
            </label>
            <textarea
              id="close-reason"
              ref={reasonRef}
              rows={3}
              maxLength={MAX_REASON_LENGTH}
              value={reason}
              disabled={busy}
              aria-invalid={errors.reason !== undefined}
              aria-describedby="close-reason-help close-reason-error"
              onInput={(e) => {
                setReason(e.currentTarget.value);
                if (errors.reason) setErrors((x) => ({ ...x, reason: undefined }));
              }}
            />
            <p id="close-reason-help" class="field-help">
              {t("close.reasonHelp", { max: MAX_REASON_LENGTH })}{" "}
              <span class="char-count">
                {t("composer.count", { n: reason.length, max: MAX_REASON_LENGTH })}
              </span>
            </p>
            <p id="close-reason-error" class="form-error" role="alert">
              {errors.reason}
            </p>
          </div>
        )}

        {options && (
          <div class="field">
            <label for="close-notes">
              {t("close.notes")} <span class="muted">({t("close.optional")})</span>
            </label>
            <textarea
              id="close-notes"
              name="notes"
              rows={3}
              maxLength={MAX_NOTES_LENGTH}
              value={notes}
              disabled={notesDisabled}
              aria-invalid={errors.notes !== undefined}
              aria-describedby="close-notes-help close-notes-error"
              onInput={(e) => {
                setNotes(e.currentTarget.value);
                if (errors.notes) setErrors((x) => ({ ...x, notes: undefined }));
              }}
            />
            <p id="close-notes-help" class="field-help">
              {state?.notesAllowed
                ? t("close.notesHelp")
                : state?.leaf
                  ? t("close.notesNotAllowed")
                  : t("close.notesAfterReason")}{" "}
              {state?.notesAllowed && (
                <span class="char-count">
                  {t("composer.count", { n: notes.length, max: MAX_NOTES_LENGTH })}
                </span>
              )}
            </p>
            <p id="close-notes-error" class="form-error" role="alert">
              {errors.notes}
            </p>
          </div>
        )}

        <p class="form-error" role="alert">
          {errors.form}
        </p>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onCancel} disabled={busy}>
            {t("close.cancel")}
          </button>
          <button
            id="close-confirm"
            type="submit"
            class="button button-danger"
            disabled={!canConfirm}
            aria-busy={busy}
          >
            {busy && <span class="spinner spinner-small" aria-hidden="true" />}
            {busy ? t("close.closing") : t("close.confirm")}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The chosen path as the history will show it. */
function chosenText(
  levels: readonly { options: { id: string; value: string }[]; chosen: string | null }[],
) {
  return levels
    .map((level) => level.options.find((o) => o.id === level.chosen)?.value)
    .filter((v): v is string => v !== undefined)
    .join(CLOSE_REASON_SEPARATOR);
}
