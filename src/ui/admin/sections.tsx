/**
 * The registry of the administration's sections, in sidebar order. Each section gets
 * the path segments after `/admin/<key>` and routes inside itself (list, `new`, `:id`).
 */
import type { FunctionComponent } from "preact";
import { AuditEntry } from "./audit/AuditEntry.tsx";
import { AuditList } from "./audit/AuditList.tsx";
import {
  LocationsSection,
  PredefinedMessagesSection,
  TemplatesSection,
} from "./content/sections.tsx";
import type { AdminMessageKey } from "./i18n-admin.ts";
import { NotFound, Redirect, useRoute } from "./kit/index.ts";
import { NumberCreate } from "./numbers/NumberCreate.tsx";
import { NumberEditor } from "./numbers/NumberEditor.tsx";
import { NumbersList } from "./numbers/NumbersList.tsx";
import { SettingsForm } from "./settings/SettingsForm.tsx";
import { SkillsetForm } from "./skillsets/SkillsetForm.tsx";
import { SkillsetsList } from "./skillsets/SkillsetsList.tsx";
import { UserForm } from "./users/UserForm.tsx";
import { UsersList } from "./users/UsersList.tsx";

/** What a section receives: the decoded segments below its own path. */
export interface SectionProps {
  rest: readonly string[];
}

export interface AdminSection {
  /** The URL segment and the sidebar link's `data-nav`. */
  key: string;
  label: AdminMessageKey;
  component: FunctionComponent<SectionProps>;
  /** Where the sidebar link leads when the section lives outside `/admin` (customers). */
  href?: string;
}

function Numbers({ rest }: SectionProps) {
  const [id, tab] = rest;
  if (id === undefined) return <NumbersList />;
  if (id === "new" && tab === undefined) return <NumberCreate />;
  if (tab === undefined)
    return <Redirect to={`/admin/numbers/${encodeURIComponent(id)}/details`} />;
  if (rest.length > 2) return <NotFound backTo="/admin/numbers" />;
  return <NumberEditor key={id} id={id} tab={tab} />;
}

function Skillsets({ rest }: SectionProps) {
  const route = useRoute();
  const [id] = rest;
  if (id === undefined) return <SkillsetsList />;
  if (rest.length > 1) return <NotFound backTo="/admin/skillsets" />;
  if (id === "new") {
    const numberId = new URLSearchParams(route.search).get("numberId") ?? undefined;
    return <SkillsetForm key={`new-${numberId ?? ""}`} id={null} numberId={numberId} />;
  }
  return <SkillsetForm key={id} id={id} />;
}

function Users({ rest }: SectionProps) {
  const [id] = rest;
  if (id === undefined) return <UsersList />;
  if (rest.length > 1) return <NotFound backTo="/admin/users" />;
  return <UserForm key={id} id={id === "new" ? null : id} />;
}

/** The customer pages live at /customers (agents use them too); the admin path leads there. */
function Customers() {
  return <Redirect to="/customers" />;
}

function Settings({ rest }: SectionProps) {
  return rest.length === 0 ? <SettingsForm /> : <NotFound />;
}

function Audit({ rest }: SectionProps) {
  const [id] = rest;
  if (id === undefined) return <AuditList base="/api/admin" root="/admin/audit" />;
  if (rest.length > 1) return <NotFound backTo="/admin/audit" />;
  return <AuditEntry key={id} base="/api/admin" root="/admin/audit" id={id} />;
}

/** The tenant administrator's sections, in sidebar order. */
export const adminSections: readonly AdminSection[] = [
  { key: "numbers", label: "nav.numbers", component: Numbers },
  { key: "skillsets", label: "nav.skillsets", component: Skillsets },
  { key: "users", label: "nav.users", component: Users },
  { key: "customers", label: "nav.customers", component: Customers, href: "/customers" },
  {
    key: "predefined-messages",
    label: "nav.predefined-messages",
    component: PredefinedMessagesSection,
  },
  { key: "locations", label: "nav.locations", component: LocationsSection },
  { key: "templates", label: "nav.templates", component: TemplatesSection },
  { key: "settings", label: "nav.settings", component: Settings },
  { key: "audit", label: "nav.audit", component: Audit },
];
