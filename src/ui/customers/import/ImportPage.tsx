/**
 * `/customers/import` (administrators): download the template, choose the mode and a
 * file, upload it with progress (bytes sent, then rows checked — polled while the
 * upload runs), read the preview, and apply it once, after confirming. The import's id
 * goes into the address (`?id=`), so a reload shows the same preview or result.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  type ImportMode,
  type ImportView,
} from "../../../shared/customer-import.ts";
import { Link, navigate, useAdmin, useRoute } from "../../admin/kit/index.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { Loading } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";
import { ApplyDialog } from "./ApplyDialog.tsx";
import { IMPORT_TEMPLATE_URL, importApi, uploadImport } from "./api.ts";
import {
  canApply,
  IMPORT_ACCEPT,
  percent,
  progressOf,
  stageFromPoll,
  type UploadStage,
} from "./flow.ts";
import { ImportSummary, Rejections, ValidRows } from "./ImportPreview.tsx";

type Phase =
  | { kind: "choose" }
  | { kind: "resuming" }
  | { kind: "uploading"; stage: UploadStage }
  | { kind: "preview"; view: ImportView }
  | { kind: "applied"; view: ImportView };

/** How often the import is polled while the upload runs. */
const POLL_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function ImportPage() {
  const { t, language } = useI18n();
  const { showToast } = useAdmin();
  const route = useRoute();
  const [resumeId] = useState(() => new URLSearchParams(route.search).get("id"));
  const [phase, setPhase] = useState<Phase>(resumeId ? { kind: "resuming" } : { kind: "choose" });
  const [mode, setMode] = useState<ImportMode>("upsert");
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const n = (value: number) => new Intl.NumberFormat(language).format(value);
  const describe = useCallback(
    (error: unknown) => errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
    [t],
  );

  /** Shows an import as it stands on the server. */
  const show = useCallback(
    (view: ImportView) => {
      setMode(view.mode);
      if (view.status === "applied") setPhase({ kind: "applied", view });
      else if (view.status === "ready") setPhase({ kind: "preview", view });
      else {
        setFailure(view.error ?? t("import.interrupted"));
        setPhase({ kind: "choose" });
      }
    },
    [t],
  );

  // A reload on `?id=`: show that import again (waiting while it is still being checked).
  useEffect(() => {
    if (!resumeId) return;
    let live = true;
    void (async () => {
      try {
        let view = await importApi.get(resumeId);
        while (live && view.status === "receiving") {
          const stage = stageFromPoll(view);
          if (stage) setPhase({ kind: "uploading", stage });
          await sleep(POLL_MS);
          view = await importApi.get(resumeId);
        }
        if (live) show(view);
      } catch (error) {
        if (!live) return;
        setFailure(
          error instanceof ApiError && error.status === 404 ? t("import.gone") : describe(error),
        );
        setPhase({ kind: "choose" });
      }
    })();
    return () => {
      live = false;
    };
  }, [resumeId, show, describe, t]);

  // Leaving the page stops an upload under way.
  useEffect(() => () => abort.current?.abort(), []);

  // Errors and results take the focus, so keyboard and screen reader users land on them.
  useEffect(() => {
    if (failure) document.querySelector<HTMLElement>(".import-error")?.focus();
  }, [failure]);
  useEffect(() => {
    if (phase.kind === "applied" || phase.kind === "preview")
      document
        .querySelector<HTMLElement>(
          `#import-${phase.kind === "applied" ? "result" : "preview-heading"}`,
        )
        ?.focus();
  }, [phase.kind]);

  async function upload() {
    if (!file) {
      setFileError(t("import.chooseFile"));
      document.getElementById("import-file")?.focus();
      return;
    }
    const id = crypto.randomUUID();
    const controller = new AbortController();
    abort.current = controller;
    setFailure(null);
    setFileError(null);
    let stage: UploadStage = { stage: "sending", sentBytes: 0, totalBytes: file.size };
    let done = false;
    const update = (next: UploadStage) => {
      // Once the server counts rows, late byte counts must not move the bar back.
      if (done || (stage.stage === "checking" && next.stage === "sending")) return;
      stage = next;
      setPhase({ kind: "uploading", stage });
    };
    update(stage);
    void (async () => {
      while (!done) {
        await sleep(POLL_MS);
        if (done) return;
        try {
          const next = stageFromPoll(await importApi.get(id));
          if (next) update(next);
        } catch {
          // Not created yet (404) or a passing network error: the upload itself decides.
        }
      }
    })();
    try {
      const view = await uploadImport(
        file,
        id,
        mode,
        (sentBytes, totalBytes) => update({ stage: "sending", sentBytes, totalBytes }),
        controller.signal,
      );
      done = true;
      navigate(`/customers/import?id=${encodeURIComponent(view.id)}`, { replace: true });
      show(view);
    } catch (error) {
      done = true;
      if (controller.signal.aborted) return;
      setFailure(t("import.uploadFailed", { message: describe(error) }));
      setPhase({ kind: "choose" });
    }
  }

  async function apply(view: ImportView) {
    try {
      const applied = await importApi.apply(view.id);
      setConfirming(false);
      setPhase({ kind: "applied", view: applied });
      showToast(t("import.appliedToast"));
    } catch (error) {
      // Applied meanwhile (another tab): show it as it is now, and say why.
      if (error instanceof ApiError && error.status === 409) {
        const now = await importApi.get(view.id).catch(() => null);
        if (now && now.status === "applied") {
          setConfirming(false);
          setPhase({ kind: "applied", view: now });
          showToast(error.message, "error");
          return;
        }
      }
      throw error;
    }
  }

  function startOver() {
    setFile(null);
    setFailure(null);
    setPhase({ kind: "choose" });
    navigate("/customers/import", { replace: true });
  }

  const busy = phase.kind === "uploading" || phase.kind === "resuming";

  return (
    <section class="admin-page import-page" aria-labelledby="import-heading">
      <p class="breadcrumb">
        <Link href="/customers">{t("nav.customers")}</Link>
      </p>
      <div class="page-header">
        <h1 id="import-heading">{t("import.title")}</h1>
      </div>

      {(phase.kind === "choose" || phase.kind === "uploading") && (
        <div class="import-start">
          <p>{t("import.intro")}</p>
          <p>
            {t("import.limits", {
              rows: n(IMPORT_MAX_ROWS),
              megabytes: n(IMPORT_MAX_BYTES / (1024 * 1024)),
            })}
          </p>
          <p>
            <a id="import-template" class="button" href={IMPORT_TEMPLATE_URL} download>
              {t("import.template")}
            </a>
          </p>

          <fieldset class="field-group import-mode" disabled={busy}>
            <legend>{t("import.mode")}</legend>
            <div class="import-mode-options">
              {(["upsert", "replace"] as const).map((value) => (
                <div key={value} class="import-mode-option">
                  <input
                    id={`import-mode-${value}`}
                    type="radio"
                    name="mode"
                    value={value}
                    checked={mode === value}
                    aria-describedby={`import-mode-${value}-help`}
                    onChange={() => setMode(value)}
                  />
                  <label for={`import-mode-${value}`}>{t(`import.mode.${value}`)}</label>
                  <p id={`import-mode-${value}-help`} class="field-help">
                    {t(`import.modeHelp.${value}`)}
                  </p>
                </div>
              ))}
            </div>
            {mode === "replace" && (
              <p class="import-replace-warning" role="note">
                {t("import.replaceWarning")}
              </p>
            )}
          </fieldset>

          <div class={`field import-file${fileError ? " has-error" : ""}`}>
            <label for="import-file">{t("import.file")}</label>
            <input
              id="import-file"
              type="file"
              accept={IMPORT_ACCEPT}
              disabled={busy}
              aria-invalid={fileError ? true : undefined}
              aria-describedby={fileError ? "import-file-error" : "import-file-help"}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setFileError(null);
              }}
            />
            <p id="import-file-help" class="field-help">
              {t("import.fileHint")}
            </p>
            {fileError && (
              <p id="import-file-error" class="field-error" data-field="file">
                {fileError}
              </p>
            )}
          </div>

          {failure && (
            <div class="import-error form-summary" role="alert" tabIndex={-1}>
              <p>{failure}</p>
            </div>
          )}

          <div class="form-actions">
            <button
              id="import-upload"
              type="button"
              class="button button-primary"
              disabled={busy}
              aria-busy={busy}
              onClick={() => void upload()}
            >
              {busy && <span class="spinner spinner-small" aria-hidden="true" />}
              {t("import.upload")}
            </button>
          </div>
        </div>
      )}

      {phase.kind === "uploading" && <Progress stage={phase.stage} />}
      {phase.kind === "resuming" && <Loading />}

      {phase.kind === "preview" && (
        <div class="import-preview">
          <h2 id="import-preview-heading" tabIndex={-1}>
            {t("import.previewTitle", { file: phase.view.fileName })}
          </h2>
          <p class="field-help">
            {t("import.previewMode", { mode: t(`import.mode.${phase.view.mode}`) })}
          </p>
          <ImportSummary view={phase.view} />
          {phase.view.mode === "replace" && (
            <p class="import-replace-warning" role="note">
              {t("import.replaceWarning")}
            </p>
          )}
          <h3>{t("import.rejectionsTitle")}</h3>
          <Rejections view={phase.view} />
          <h3>{t("import.validTitle")}</h3>
          <ValidRows view={phase.view} />
          <div class="form-actions">
            {canApply(phase.view) ? (
              <button
                id="import-confirm"
                type="button"
                class={`button ${phase.view.mode === "replace" ? "button-danger" : "button-primary"}`}
                onClick={() => setConfirming(true)}
              >
                {t("import.confirm")}
              </button>
            ) : (
              <p class="field-help">{t("import.nothingToApply")}</p>
            )}
            <button id="import-again" type="button" class="button" onClick={startOver}>
              {t("import.again")}
            </button>
          </div>
          {confirming && (
            <ApplyDialog
              view={phase.view}
              onConfirm={() => apply(phase.view)}
              onCancel={() => setConfirming(false)}
            />
          )}
        </div>
      )}

      {phase.kind === "applied" && (
        <div id="import-result" class="import-result" role="status" tabIndex={-1}>
          <p>
            {t("import.result", {
              inserts: n(phase.view.inserts),
              updates: n(phase.view.updates),
              deletes: n(phase.view.deletes),
            })}
          </p>
          <p class="import-result-actions">
            <Link id="import-back" class="button button-primary" href="/customers">
              {t("import.backToList")}
            </Link>
            <button id="import-again" type="button" class="button" onClick={startOver}>
              {t("import.another")}
            </button>
          </p>
        </div>
      )}
    </section>
  );
}

/** The upload's progress: a real <progress> with its text as the label. */
function Progress({ stage }: { stage: UploadStage }) {
  const { t, language } = useI18n();
  const { value, max } = progressOf(stage);
  const n = (v: number) => new Intl.NumberFormat(language).format(v);
  const text =
    stage.stage === "sending"
      ? value === null
        ? t("import.sending")
        : t("import.sendingPercent", { percent: percent(value, max) })
      : t("import.checking", { processed: n(stage.processedRows), total: n(stage.totalRows) });
  return (
    <div id="import-progress" class="import-progress" data-stage={stage.stage}>
      <label for="import-progress-bar" id="import-progress-text" aria-live="polite">
        {text}
      </label>
      <progress id="import-progress-bar" max={max} value={value ?? undefined} />
    </div>
  );
}
