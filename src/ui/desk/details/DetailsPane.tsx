/**
 * The details pane beside a conversation: conversation info, customer info (editable when
 * allowed), the customer's history, send by e-mail. Beside the messages on wide screens
 * (open by default), a drawer over them on tablets (closed by default; Escape or its Close
 * button closes it and focus goes back to `#details-toggle`). The conversation facts are
 * drawn here; the customer part is a separate chunk loaded the first time it is shown.
 */
import type { ComponentChild } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ConversationView } from "../../../shared/protocol.ts";
import { formatDateTime } from "../../admin/format.ts";
import { lazyPanel } from "../../components/lazy.tsx";
import { useI18n } from "../../i18n.ts";
import "./details.css";

/** At this width and above the pane sits beside the messages; below, it is a drawer. */
const WIDE_QUERY = "(min-width: 1200px)";

const isWide = () =>
  typeof window.matchMedia === "function" && window.matchMedia(WIDE_QUERY).matches;

/** Whether the pane is shown: open by default on wide screens. */
export function useDetailsOpen() {
  const [open, setOpen] = useState(isWide);
  const toggle = useCallback(() => setOpen((o) => !o), []);
  const close = useCallback(() => {
    setOpen(false);
    document.getElementById("details-toggle")?.focus();
  }, []);
  return { open, toggle, close };
}

/** The header's switch (`#details-toggle`). */
export function DetailsToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  return (
    <button
      id="details-toggle"
      type="button"
      class="button"
      aria-pressed={open}
      aria-controls="details-pane"
      title={t("details.toggleLabel")}
      onClick={onToggle}
    >
      {t("details.toggle")}
    </button>
  );
}

interface DetailsPaneProps {
  conversation: ConversationView;
  open: boolean;
  onClose: () => void;
}

export function DetailsPane({ conversation, open, onClose }: DetailsPaneProps) {
  const { t } = useI18n();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const wasOpen = useRef(open);

  // Opened as a drawer: focus moves into it, as into any panel that covers the page.
  useEffect(() => {
    if (open && !wasOpen.current && !isWide()) headingRef.current?.focus();
    wasOpen.current = open;
  }, [open]);

  return (
    <aside
      id="details-pane"
      class="details-pane"
      aria-labelledby="details-title"
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !isWide() && !e.defaultPrevented) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header class="details-head">
        <h2 id="details-title" ref={headingRef} tabIndex={-1}>
          {t("details.title")}
        </h2>
        <button
          id="details-close"
          type="button"
          class="button details-close"
          aria-label={t("details.close")}
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <ConversationFacts conversation={conversation} />
      {open && <CustomerPart conversation={conversation} />}
    </aside>
  );
}

/** Number, skillset, state, times, participants, transfer and wait-queue facts. */
function ConversationFacts({ conversation: c }: { conversation: ConversationView }) {
  const { t, language } = useI18n();
  const when = (ms: number) => (
    <time dateTime={new Date(ms).toISOString()}>{formatDateTime(language, ms)}</time>
  );
  const facts: [string, ComponentChild, string][] = [
    [t("details.number"), `${c.numberName} (${c.displayPhone})`, "number"],
    [t("details.skillset"), c.skillsetName ?? t("app.none"), "skillset"],
    [t("details.state"), t(`state.${c.state}`), "state"],
    [t("details.opened"), when(c.createdAt), "opened"],
  ];
  if (c.assignedAt !== null) facts.push([t("details.assigned"), when(c.assignedAt), "assigned"]);
  if (c.lastCustomerMessageAt !== null) {
    facts.push([t("details.lastCustomerMessage"), when(c.lastCustomerMessageAt), "last"]);
  }
  if (c.participants.length > 0) {
    facts.push([t("details.participants"), c.participants.map((p) => p.name).join(", "), "guests"]);
  }
  if (c.transfer) {
    const to = c.transfer.toAgentName ?? c.transfer.toSkillsetName ?? t("app.none");
    facts.push([t("details.transferTo"), to, "transfer-to"]);
    facts.push([
      t("details.transferMode"),
      c.transfer.mode === "exclusive" ? t("details.modeExclusive") : t("details.modeImmediate"),
      "transfer-mode",
    ]);
    if (c.transfer.fromAgentName) {
      facts.push([t("details.transferFrom"), c.transfer.fromAgentName, "transfer-from"]);
    }
    facts.push([t("details.transferSince"), when(c.transfer.since), "transfer-since"]);
  }
  if (c.waitQueue) {
    facts.push([
      t("details.waitQueue"),
      c.waitQueue.kind === "personal"
        ? t("details.waitPersonal", { agent: c.waitQueue.agentName ?? t("app.none") })
        : t("details.waitPublic"),
      "wait-queue",
    ]);
  }
  facts.push([t("details.id"), <code key="id">{c.id}</code>, "id"]);
  return (
    <section class="details-section" aria-labelledby="details-conversation-title">
      <h3 id="details-conversation-title">{t("details.conversation")}</h3>
      <dl class="details-facts">
        {facts.map(([label, value, key]) => (
          <div key={key} data-fact={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The customer part, fetched on first use with its own loading and retry. */
const CustomerPart = lazyPanel(() => import("./CustomerPanel.tsx"));
