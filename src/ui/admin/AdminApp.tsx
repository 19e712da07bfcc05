/**
 * The administration and the platform pages behind one shell. Admins get the tenant's
 * sections under `/admin/…` and the customer pages under `/customers/…`; the platform
 * operator gets the tenants and the audit trail of tenant operations under `/platform/…`.
 * Loaded on demand, so the agent desktop never downloads it.
 */
import type { MeView } from "../../shared/protocol.ts";
import { CustomersRoutes } from "../customers/CustomersRoutes.tsx";
import { useI18n } from "../i18n.ts";
import { AuditEntry } from "./audit/AuditEntry.tsx";
import { AuditList } from "./audit/AuditList.tsx";
import "./admin.css";
import { AdminShell, isUnder, type NavItem, NotFound, Redirect, useRoute } from "./kit/index.ts";
import { TenantForm } from "./platform/TenantForm.tsx";
import { TenantsList } from "./platform/TenantsList.tsx";
import { adminSections } from "./sections.tsx";

interface AdminAppProps {
  me: MeView;
  onSignedOut: () => void;
}

/** Splits a path into decoded segments; a malformed escape yields null (shown as Not found). */
function segments(path: string): string[] | null {
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
  } catch {
    return null;
  }
}

function Platform({ rest }: { rest: readonly string[] }) {
  const [section, id, more] = rest;
  if (section === "audit" && more === undefined) {
    return id === undefined ? (
      <AuditList base="/api/platform" root="/platform/audit" />
    ) : (
      <AuditEntry key={id} base="/api/platform" root="/platform/audit" id={id} />
    );
  }
  if (section !== "tenants" || more !== undefined) return <Redirect to="/platform/tenants" />;
  if (id === undefined) return <TenantsList />;
  return <TenantForm key={id} id={id === "new" ? null : id} />;
}

export default function AdminApp({ me, onSignedOut }: AdminAppProps) {
  const { t } = useI18n();
  const route = useRoute();
  const parts = segments(route.path);

  if (me.role === "operator") {
    const nav: NavItem[] = [
      { key: "tenants", href: "/platform/tenants", label: t("nav.tenants") },
      { key: "audit", href: "/platform/audit", label: t("nav.audit") },
    ];
    return (
      <AdminShell me={me} nav={nav} onSignedOut={onSignedOut}>
        {parts && isUnder(route.path, "/platform") ? (
          <Platform rest={parts.slice(1)} />
        ) : (
          <Redirect to="/platform/tenants" />
        )}
      </AdminShell>
    );
  }

  const nav: NavItem[] = adminSections.map((s) => ({
    key: s.key,
    href: s.href ?? `/admin/${s.key}`,
    label: t(s.label),
  }));
  const [, key, ...rest] = parts ?? [];
  const section = adminSections.find((s) => s.key === key);
  let content = null;
  if (parts === null) content = <NotFound />;
  // The customer pages, shared with agents, live at /customers inside this same frame.
  else if (isUnder(route.path, "/customers")) content = <CustomersRoutes rest={parts.slice(1)} />;
  else if (key === undefined) content = <Redirect to="/admin/numbers" />;
  else if (!section) content = <NotFound />;
  else {
    const Section = section.component;
    content = <Section rest={rest} />;
  }
  return (
    <AdminShell me={me} nav={nav} onSignedOut={onSignedOut}>
      {content}
    </AdminShell>
  );
}
