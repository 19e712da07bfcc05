/**
 * The registry of the number editor's tabs, in display order. Each tab receives the
 * number (the editor owns it) and reports a newer view after saving, so every tab saves
 * with the current version. Tabs not yet built show a "coming" note.
 */
import { type FunctionComponent, h } from "preact";
import type { NumberView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import type { AdminMessageKey } from "../i18n-admin.ts";
import { AutoCloseTab } from "./AutoCloseTab.tsx";
import { DetailsTab } from "./DetailsTab.tsx";
import { MessagesTab } from "./MessagesTab.tsx";

/** What every tab gets. */
export interface NumberTabProps {
  number: NumberView;
  /** Call with the view a save returned; the editor and the other tabs adopt it. */
  onNumberChange: (view: NumberView) => void;
}

export type NumberTabKey =
  | "details"
  | "auto-close"
  | "messages"
  | "working-time"
  | "properties"
  | "profiling"
  | "skillsets";

export interface NumberTab {
  key: NumberTabKey;
  label: AdminMessageKey;
  component: FunctionComponent<NumberTabProps>;
}

/** Shown until a tab's screen exists. */
function Coming() {
  const { t } = useI18n();
  return h("p", { class: "empty-state" }, t("admin.coming"));
}

/** The tabs in order. Replace a `Coming` with the real component when it lands. */
export const numberTabs: readonly NumberTab[] = [
  { key: "details", label: "numberTab.details", component: DetailsTab },
  { key: "auto-close", label: "numberTab.auto-close", component: AutoCloseTab },
  { key: "messages", label: "numberTab.messages", component: MessagesTab },
  { key: "working-time", label: "numberTab.working-time", component: Coming },
  { key: "properties", label: "numberTab.properties", component: Coming },
  { key: "profiling", label: "numberTab.profiling", component: Coming },
  { key: "skillsets", label: "numberTab.skillsets", component: Coming },
];
