/**
 * The customer pages for agents, in the administration's frame with a single section
 * (agents have no administration). Loaded on demand, so the desktop never downloads it.
 * Admins reach the same pages through the administration (see AdminApp).
 */
import type { MeView } from "../../shared/protocol.ts";
import "../admin/admin.css";
import { AdminShell, type NavItem, NotFound, useRoute } from "../admin/kit/index.ts";
import { useI18n } from "../i18n.ts";
import { CustomersRoutes } from "./CustomersRoutes.tsx";
import { customerSegments } from "./paths.ts";

interface CustomersAppProps {
  me: MeView;
  onSignedOut: () => void;
}

export default function CustomersApp({ me, onSignedOut }: CustomersAppProps) {
  const { t } = useI18n();
  const route = useRoute();
  const rest = customerSegments(route.path);
  const nav: NavItem[] = [{ key: "customers", href: "/customers", label: t("nav.customers") }];
  return (
    <AdminShell me={me} nav={nav} onSignedOut={onSignedOut} title={t("nav.customers")}>
      {rest === null ? <NotFound backTo="/customers" /> : <CustomersRoutes rest={rest} />}
    </AdminShell>
  );
}
