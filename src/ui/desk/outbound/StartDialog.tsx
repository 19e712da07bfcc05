/**
 * Start a conversation: search a customer (a green tick when they wrote in the last 24
 * hours, "not authorised" marked), the number when the tenant has several, then a free
 * message (inside the window only) or an approved template whose variables are filled in
 * a form with a live preview and its quick replies. The server's refusals stay in the
 * dialog with the reason; success is the caller's to show.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  type OutboundCustomer,
  type OutboundCustomers,
  type OutboundTemplates,
  templateText,
} from "../../../shared/outbound.ts";
import type { ConversationView } from "../../../shared/protocol.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { Modal } from "../../lifecycle/Modal.tsx";
import { RadioChoice } from "../../lifecycle/TransferDialog.tsx";
import { outboundApi } from "./api.ts";
import { CustomerResults } from "./CustomerResults.tsx";
import { refusalKey, sendable, variableInputName } from "./choices.ts";
import { TemplateForm } from "./TemplateForm.tsx";

type Load<T> =
  | { kind: "loading" }
  | { kind: "loaded"; data: T }
  | { kind: "failed"; message: string };

interface StartDialogProps {
  myId: string;
  /** The conversation started or continued; `kind` says what was sent. */
  onStarted: (conversation: ConversationView, kind: "text" | "template") => void;
  onCancel: () => void;
}

/** How long typing in the search waits before asking the server. */
const SEARCH_DELAY_MS = 250;

/** Mount to open, unmount to close. */
export function StartDialog({ myId, onStarted, onCancel }: StartDialogProps) {
  const { t } = useI18n();
  const describe = (error: unknown) =>
    errorMessage(error, t("app.networkError"), t("app.unexpectedError"));
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Load<OutboundCustomers>>({ kind: "loading" });
  const [customer, setCustomer] = useState<OutboundCustomer | null>(null);
  const [numberId, setNumberId] = useState<string | null>(null);
  const [templates, setTemplates] = useState<Load<OutboundTemplates>>({ kind: "loading" });
  const [kind, setKind] = useState<"text" | "template">("template");
  const [text, setText] = useState("");
  const [templateId, setTemplateId] = useState("");
  const [header, setHeader] = useState("");
  const [body, setBody] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Readonly<Record<string, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // One idempotency key per dialog: a retry after a lost answer never sends twice.
  const clientId = useMemo(() => crypto.randomUUID(), []);
  const searchRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const chosenRef = useRef<HTMLParagraphElement>(null);

  // ---- search (debounced; the latest answer wins) ----------------------------------
  useEffect(() => {
    let current = true;
    setFound((f) => (f.kind === "loaded" ? f : { kind: "loading" }));
    const timer = setTimeout(
      () => {
        outboundApi.customers(q.trim()).then(
          (data) => current && setFound({ kind: "loaded", data }),
          (e: unknown) => current && setFound({ kind: "failed", message: describe(e) }),
        );
      },
      q ? SEARCH_DELAY_MS : 0,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q, attempt]);

  // A long form scrolls inside the dialog: bring the reason into view.
  useEffect(() => {
    if (error) errorRef.current?.scrollIntoView({ block: "nearest" });
  }, [error]);

  const numbers = found.kind === "loaded" ? found.data.numbers : [];
  const activeNumber = numberId ?? numbers[0]?.id ?? null;

  // ---- templates of the chosen number ------------------------------------------------
  useEffect(() => {
    if (!activeNumber) return;
    let current = true;
    setTemplates({ kind: "loading" });
    outboundApi.templates(activeNumber).then(
      (data) => current && setTemplates({ kind: "loaded", data }),
      (e: unknown) => current && setTemplates({ kind: "failed", message: describe(e) }),
    );
    return () => {
      current = false;
    };
  }, [activeNumber]);

  const loaded = templates.kind === "loaded" ? templates.data : null;
  const allowedTemplates = loaded?.allowed ?? true;
  const can =
    customer && activeNumber
      ? sendable(customer, activeNumber, myId, allowedTemplates)
      : { text: false, template: false, blocked: null };
  // The kind follows what is possible: a template by default, a free message when only that is.
  const effectiveKind = kind === "template" && !can.template && can.text ? "text" : kind;
  const template = loaded?.templates.find((x) => x.id === templateId) ?? null;
  const variables = { header, body };

  const facts =
    customer && activeNumber ? customer.numbers.find((n) => n.numberId === activeNumber) : null;
  const open = facts?.openConversation;

  function choose(next: OutboundCustomer) {
    setCustomer(next);
    setError(null);
    setFieldErrors({});
    requestAnimationFrame(() => chosenRef.current?.focus());
  }

  /** A variable the agent typed in is no longer flagged. */
  function clearField(name: string) {
    setFieldErrors((errors) => {
      if (!(name in errors)) return errors;
      const { [name]: _, ...rest } = errors;
      return rest;
    });
  }

  function change() {
    setCustomer(null);
    setError(null);
    requestAnimationFrame(() => searchRef.current?.focus());
  }

  function pickTemplate(id: string) {
    setTemplateId(id);
    const next = loaded?.templates.find((x) => x.id === id);
    setHeader("");
    setBody(Array.from({ length: next?.bodyVariables ?? 0 }, () => ""));
    setFieldErrors({});
    setError(null);
  }

  /** Fields the agent left empty, by input name; none when the request can go. */
  function missing(): Record<string, string> {
    if (effectiveKind !== "template" || !template) return {};
    const errors: Record<string, string> = {};
    if (template.headerVariables > 0 && !header.trim())
      errors["var-header"] = t("outbound.required");
    for (let i = 0; i < template.bodyVariables; i++) {
      if (!body[i]?.trim()) errors[`var-body-${i + 1}`] = t("outbound.required");
    }
    return errors;
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!customer || !activeNumber) {
      setError(t("outbound.pickCustomer"));
      searchRef.current?.focus();
      return;
    }
    // Nothing to send: say why rather than what is missing.
    if (effectiveKind === "template" && !can.template) {
      setError(
        !customer.authorized ? t("outbound.notAuthorizedHelp") : t("outbound.templatesDisallowed"),
      );
      return;
    }
    if (effectiveKind === "text" && !can.text) {
      setError(t("outbound.kindTextClosed"));
      return;
    }
    if (can.blocked) {
      setError(t(can.blocked, { agent: open?.agentName ?? "" }));
      return;
    }
    if (effectiveKind === "template" && !template) {
      setError(t("outbound.pickTemplate"));
      document.querySelector<HTMLElement>("#outbound-dialog select[name=template]")?.focus();
      return;
    }
    const empty = missing();
    setFieldErrors(empty);
    const firstEmpty = Object.keys(empty)[0];
    if (firstEmpty) {
      document.querySelector<HTMLElement>(`#outbound-dialog [name="${firstEmpty}"]`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const conversation = await outboundApi.start({
        clientId,
        customerId: customer.id,
        numberId: activeNumber,
        message:
          effectiveKind === "template"
            ? { type: "template", templateId, variables: { header: header || undefined, body } }
            : { type: "text", text },
      });
      onStarted(conversation, effectiveKind);
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError) {
        const named: Record<string, string> = {};
        for (const field of e.fields) {
          const input = variableInputName(field.path);
          if (input) named[input] = t("outbound.required");
        }
        setFieldErrors(named);
        const key = refusalKey(e.code);
        setError(key ? t(key) : e.message);
      } else {
        setError(describe(e));
      }
    }
  }

  return (
    <Modal
      id="outbound-dialog"
      titleId="outbound-dialog-title"
      descriptionId="outbound-dialog-help"
      busy={busy}
      onCancel={onCancel}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="outbound-dialog-title">{t("outbound.dialogTitle")}</h2>
        <p id="outbound-dialog-help" class="muted">
          {t("outbound.dialogHelp")}
        </p>

        {customer ? (
          <div class="outbound-chosen">
            <p ref={chosenRef} tabIndex={-1} id="outbound-chosen">
              <strong>{t("outbound.chosen", { name: customer.name })}</strong>
              {customer.phone && <span class="muted"> {customer.phone}</span>}
              {customer.windowOpen && (
                <span class="window-open" title={t("outbound.windowOpen")}>
                  {" "}
                  ✓<span class="visually-hidden">{t("outbound.windowOpen")}</span>
                </span>
              )}
              {!customer.authorized && (
                <span class="badge not-authorized">{t("outbound.notAuthorized")}</span>
              )}
            </p>
            <button type="button" class="button" id="outbound-change" onClick={change}>
              {t("outbound.change")}
            </button>
          </div>
        ) : (
          <CustomerResults
            q={q}
            onQuery={setQ}
            state={found}
            inputRef={searchRef}
            onChoose={choose}
            onRetry={() => setAttempt((n) => n + 1)}
          />
        )}

        {customer && numbers.length > 1 && (
          <div class="field">
            <label for="outbound-number">{t("outbound.numberLabel")}</label>
            <select
              id="outbound-number"
              name="number"
              value={activeNumber ?? ""}
              onChange={(e) => setNumberId(e.currentTarget.value)}
            >
              {numbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name} ({n.displayPhone})
                </option>
              ))}
            </select>
          </div>
        )}

        {customer && can.blocked && (
          <p class="outbound-note" role="status">
            {t(can.blocked, { agent: open?.agentName ?? "" })}
          </p>
        )}
        {customer && !can.blocked && open && open.agentId === myId && (
          <p class="outbound-note muted">{t("outbound.openByMe")}</p>
        )}

        {customer && !can.blocked && (
          <>
            <fieldset class="choice-group">
              <legend>{t("outbound.kind")}</legend>
              <RadioChoice
                name="outbound-kind"
                value="template"
                checked={effectiveKind === "template"}
                label={t("outbound.kindTemplate")}
                help={
                  !customer.authorized
                    ? t("outbound.notAuthorizedHelp")
                    : !allowedTemplates
                      ? t("outbound.templatesDisallowed")
                      : t("outbound.kindTemplateHelp")
                }
                onChange={() => setKind("template")}
              />
              <RadioChoice
                name="outbound-kind"
                value="text"
                checked={effectiveKind === "text"}
                label={t("outbound.kindText")}
                help={can.text ? t("outbound.kindTextHelp") : t("outbound.kindTextClosed")}
                onChange={() => setKind("text")}
              />
            </fieldset>
            {effectiveKind === "text" ? (
              can.text && (
                <div class="field">
                  <label for="outbound-text">{t("outbound.text")}</label>
                  <textarea
                    id="outbound-text"
                    name="text"
                    rows={4}
                    maxLength={4096}
                    value={text}
                    onInput={(e) => setText(e.currentTarget.value)}
                    required
                  />
                </div>
              )
            ) : can.template ? (
              <TemplateForm
                state={templates}
                templateId={templateId}
                onPick={pickTemplate}
                header={header}
                onHeader={(value) => {
                  setHeader(value);
                  clearField("var-header");
                }}
                body={body}
                onBody={(values, index) => {
                  setBody(values);
                  clearField(`var-body-${index + 1}`);
                }}
                errors={fieldErrors}
                // The quick replies show as buttons under the preview, not as text.
                preview={
                  template ? templateText({ ...template, quickReplies: [] }, variables) : null
                }
              />
            ) : (
              <p class="outbound-note" role="status">
                {!customer.authorized
                  ? t("outbound.notAuthorizedHelp")
                  : t("outbound.templatesDisallowed")}
              </p>
            )}
          </>
        )}

        <p id="outbound-error" ref={errorRef} class="form-error" role="alert">
          {error}
        </p>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onCancel} disabled={busy}>
            {t("outbound.cancel")}
          </button>
          <button
            id="outbound-send"
            type="submit"
            class="button button-primary"
            disabled={busy}
            aria-busy={busy}
          >
            {busy && <span class="spinner spinner-small" aria-hidden="true" />}
            {busy ? t("outbound.sending") : t("outbound.send")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
