/**
 * The registry of the number editor's tabs, in display order. Each tab receives the
 * number (the editor owns it) and reports a newer view after saving, so every tab saves
 * with the current version.
 */
import type { FunctionComponent } from "preact";
import type { NumberView } from "../../../shared/admin.ts";
import type { AdminMessageKey } from "../i18n-admin.ts";
import { AutoCloseTab } from "./AutoCloseTab.tsx";
import { BotTab } from "./BotTab.tsx";
import { DetailsTab } from "./DetailsTab.tsx";
import { MessagesTab } from "./MessagesTab.tsx";
import { NumberSkillsetsTab } from "./NumberSkillsetsTab.tsx";
import { ProfilingTab } from "./ProfilingTab.tsx";
import { PropertiesTab } from "./PropertiesTab.tsx";
import { WorkingTimeTab } from "./WorkingTimeTab.tsx";

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
  | "skillsets"
  | "bot";

export interface NumberTab {
  key: NumberTabKey;
  label: AdminMessageKey;
  component: FunctionComponent<NumberTabProps>;
}

/** The tabs in order. */
export const numberTabs: readonly NumberTab[] = [
  { key: "details", label: "numberTab.details", component: DetailsTab },
  { key: "auto-close", label: "numberTab.auto-close", component: AutoCloseTab },
  { key: "messages", label: "numberTab.messages", component: MessagesTab },
  { key: "working-time", label: "numberTab.working-time", component: WorkingTimeTab },
  { key: "properties", label: "numberTab.properties", component: PropertiesTab },
  { key: "profiling", label: "numberTab.profiling", component: ProfilingTab },
  { key: "skillsets", label: "numberTab.skillsets", component: NumberSkillsetsTab },
  // After the skillsets, whose bot labels make its menu.
  { key: "bot", label: "numberTab.bot", component: BotTab },
];
