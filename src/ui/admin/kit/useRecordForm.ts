/**
 * The life of one editable record: load → edit a draft → save with the version read →
 * on 409 show the server's message and a Reload (the user's edits stay visible until
 * they choose) → on 400 show each message by its field and move focus to the first →
 * on success announce it and adopt the saved view (with its new version).
 */
import type { RefObject } from "preact";
import { useCallback, useEffect, useId, useRef, useState } from "preact/hooks";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { useAdmin } from "./context.ts";
import { type FieldErrors, fieldErrors, NO_ERRORS } from "./errors.ts";

/** Where the record stands; `new` is a create form with nothing to load. */
export type RecordStatus = "loading" | "ready" | "new" | "failed" | "missing" | "forbidden";

export interface RecordFormOptions<V, D> {
  /** Fetches the record (first load and Reload). Omit for a create form. */
  load?: () => Promise<V>;
  /**
   * A view already in hand (e.g. the number a tab belongs to): no first fetch. When the
   * parent later passes a newer one, the form adopts it (the draft too, unless dirty).
   */
  initial?: V | null;
  /** The draft of a new record. */
  empty?: D;
  /** The editable part of a view. */
  toDraft: (view: V) => D;
  /** Sends the draft; gets the saved view back (201 or 200). `view` is null when creating. */
  save: (draft: D, view: V | null) => Promise<V>;
  /** After a successful save (created = it was a new record). */
  onSaved?: (view: V, created: boolean) => void;
  /** After every load, reload and save: lets a parent keep its copy current. */
  onView?: (view: V) => void;
  /** The request's envelope around the draft's fields, e.g. "details" — stripped from error paths. */
  errorPrefix?: string;
  /** The toast after saving; defaults to "Saved" / "Created". */
  savedMessage?: string | ((view: V, created: boolean) => string);
}

export interface RecordForm<V, D> {
  status: RecordStatus;
  /** Why loading failed (status "failed"). */
  loadError: string | null;
  view: V | null;
  draft: D;
  setDraft: (update: D | ((draft: D) => D)) => void;
  /** Sets one top-level field of the draft and clears its error. */
  set: <K extends keyof D>(key: K, value: D[K]) => void;
  /** Loads the record afresh, replacing the draft (the conflict's "Reload"). */
  reload: () => Promise<void>;
  /** The form's onSubmit. */
  submit: (event?: Event) => Promise<void>;
  /** Runs another action on the record (credentials, invite) with the same error handling. */
  run: (action: () => Promise<V | undefined>, doneMessage?: string) => Promise<boolean>;
  /** Adopts a view the caller got some other way (and resets the draft to it). */
  adopt: (view: V) => void;
  saving: boolean;
  errors: FieldErrors;
  /** A failure that is not about one field (shown in the summary). */
  formError: string | null;
  /** The 409 message while a conflict is unresolved. */
  conflict: string | null;
  dirty: boolean;
  formId: string;
  formRef: RefObject<HTMLFormElement | null>;
}

/** See the module comment. The hook must live inside `AdminShell` (it toasts). */
export function useRecordForm<V, D>(options: RecordFormOptions<V, D>): RecordForm<V, D> {
  const { t } = useI18n();
  const { showToast } = useAdmin();
  const formId = `f${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
  const formRef = useRef<HTMLFormElement>(null);
  const opts = useRef(options);
  opts.current = options;

  const creating = !options.load;
  const initial = options.initial ?? null;
  const [status, setStatus] = useState<RecordStatus>(
    creating ? "new" : initial ? "ready" : "loading",
  );
  const [view, setView] = useState<V | null>(initial);
  const [draft, setDraftState] = useState<D>(() =>
    initial ? options.toDraft(initial) : (options.empty as D),
  );
  const [dirty, setDirty] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);

  const describe = useCallback(
    (error: unknown) => errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
    [t],
  );

  const adopt = useCallback((next: V) => {
    setView(next);
    setDraftState(opts.current.toDraft(next));
    setDirty(false);
    setStatus("ready");
    opts.current.onView?.(next);
  }, []);

  const reload = useCallback(async () => {
    const load = opts.current.load;
    if (!load) return;
    setStatus((s) => (s === "ready" ? s : "loading"));
    try {
      adopt(await load());
      setErrors(NO_ERRORS);
      setConflict(null);
      setFormError(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setStatus("missing");
      else if (error instanceof ApiError && error.status === 403) setStatus("forbidden");
      else {
        setLoadError(describe(error));
        setStatus("failed");
      }
    }
  }, [adopt, describe]);

  // A parent that owns the record (a number shared by tabs) hands in a newer view after
  // another part of it was saved: take its version, and its fields unless the user is
  // editing them.
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => {
    if (!initial) return;
    setView((current) => (current === initial ? current : initial));
    if (!dirtyRef.current) setDraftState(opts.current.toDraft(initial));
  }, [initial]);

  // First load, unless a view was handed in or this is a create form.
  const loadedOnce = useRef(creating || initial !== null);
  useEffect(() => {
    if (loadedOnce.current) return;
    loadedOnce.current = true;
    void reload();
  }, [reload]);

  const setDraft = useCallback((update: D | ((draft: D) => D)) => {
    setDraftState((d) => (typeof update === "function" ? (update as (d: D) => D)(d) : update));
    setDirty(true);
  }, []);

  const set = useCallback(
    <K extends keyof D>(key: K, value: D[K]) => {
      setDraft((d) => ({ ...d, [key]: value }));
      setErrors((errs) => {
        if (!(String(key) in errs)) return errs;
        const { [String(key)]: _, ...rest } = errs;
        return rest;
      });
    },
    [setDraft],
  );

  /** After a failed save: show what went wrong and put focus where the user must act. */
  const fail = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 409 && error.code === "conflict") {
        // Our own words, in the UI's language; the server's message is for API callers.
        setConflict(t("form.conflictMessage"));
        focusLater(formRef, ".conflict");
      } else if (error instanceof ApiError && error.fields.length > 0) {
        setErrors(fieldErrors(error.fields, opts.current.errorPrefix));
        focusLater(formRef, "[aria-invalid='true']", ".form-summary");
      } else {
        setFormError(
          error instanceof ApiError && error.status === 403
            ? t("admin.forbidden")
            : t("form.saveFailed", { message: describe(error) }),
        );
        focusLater(formRef, ".form-summary");
      }
    },
    [t, describe],
  );

  const run = useCallback(
    async (action: () => Promise<V | undefined>, doneMessage?: string) => {
      if (saving) return false;
      setSaving(true);
      setErrors(NO_ERRORS);
      setFormError(null);
      try {
        const next = await action();
        if (next !== undefined) {
          // The draft stays: an action such as replacing a credential must not throw away
          // unsaved edits elsewhere in the form. The new view carries the version to save with.
          setView(next);
          opts.current.onView?.(next);
        }
        setConflict(null);
        if (doneMessage) showToast(doneMessage);
        return true;
      } catch (error) {
        fail(error);
        return false;
      } finally {
        setSaving(false);
      }
    },
    [saving, fail, showToast],
  );

  const submit = useCallback(
    async (event?: Event) => {
      event?.preventDefault();
      if (saving) return;
      setSaving(true);
      setErrors(NO_ERRORS);
      setFormError(null);
      try {
        const saved = await opts.current.save(draft, view);
        const created = view === null;
        adopt(saved);
        setConflict(null);
        const message = opts.current.savedMessage;
        showToast(
          typeof message === "function"
            ? message(saved, created)
            : (message ?? t(created ? "admin.created" : "admin.saved")),
        );
        opts.current.onSaved?.(saved, created);
      } catch (error) {
        fail(error);
      } finally {
        setSaving(false);
      }
    },
    [saving, draft, view, adopt, fail, showToast, t],
  );

  return {
    status,
    loadError,
    view,
    draft,
    setDraft,
    set,
    reload,
    submit,
    run,
    adopt,
    saving,
    errors,
    formError,
    conflict,
    dirty,
    formId,
    formRef,
  };
}

/** Focuses the first element matching one of `selectors` inside the form, after the next render. */
function focusLater(formRef: RefObject<HTMLFormElement | null>, ...selectors: string[]): void {
  requestAnimationFrame(() => {
    const form = formRef.current;
    if (!form) return;
    for (const selector of selectors) {
      const target = form.querySelector<HTMLElement>(selector);
      if (target) {
        target.focus();
        return;
      }
    }
  });
}
