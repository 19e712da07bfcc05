/**
 * One customer (`/customers/:id`): the heading, Delete (admins), and two tabs at their
 * own URLs — Details (`/customers/:id`) and History (`/customers/:id/history`).
 */
import { useCallback } from "preact/hooks";
import type { CustomerFields } from "../../shared/customer-import.ts";
import {
  DeleteRecord,
  Link,
  LinkTabs,
  pathOf,
  RecordGate,
  useAdmin,
  useLoadedRecord,
} from "../admin/kit/index.ts";
import { useI18n } from "../i18n.ts";
import { customersApi } from "./api.ts";
import { CustomerForm } from "./CustomerForm.tsx";
import { CustomerHistory } from "./history/CustomerHistory.tsx";

/** The tabs of a customer, in order; `path` is the segment after the id ("" for details). */
export const CUSTOMER_TABS = [
  { key: "details", path: "", label: "customer.tabDetails" },
  { key: "history", path: "history", label: "customer.tabHistory" },
] as const;
export type CustomerTab = (typeof CUSTOMER_TABS)[number]["key"];

const tabHref = (id: string, path: string) =>
  path ? pathOf("customers", id, path) : pathOf("customers", id);

export function CustomerPage({
  id,
  tab,
  fields,
}: {
  id: string;
  tab: CustomerTab;
  fields: CustomerFields;
}) {
  const { t } = useI18n();
  const { showToast } = useAdmin();
  const fetchCustomer = useCallback(() => customersApi.get(id), [id]);
  const {
    record: customer,
    setRecord: setCustomer,
    status,
    loadError,
    retry,
  } = useLoadedRecord(fetchCustomer);

  if (status !== "ready" || !customer) {
    return <RecordGate status={status} loadError={loadError} onRetry={retry} backTo="/customers" />;
  }

  return (
    <section class="admin-page customer-page" aria-labelledby="customer-heading">
      <p class="breadcrumb">
        <Link href="/customers">{t("nav.customers")}</Link>
      </p>
      <div class="page-header">
        <h1 id="customer-heading">
          {customer.name}{" "}
          {customer.phone && customer.phone !== customer.name && (
            <span class="muted">{customer.phone}</span>
          )}
        </h1>
        {fields.mayDelete && (
          <DeleteRecord
            id="customer-delete"
            title={t("customer.deleteTitle")}
            message={t("customer.deleteMessage", { name: customer.name })}
            remove={() => customersApi.remove(customer.id)}
            backTo="/customers"
          />
        )}
      </div>
      <LinkTabs
        tabs={CUSTOMER_TABS.map((candidate) => ({
          key: candidate.key,
          href: tabHref(id, candidate.path),
          label: t(candidate.label),
        }))}
        active={tab}
        label={t("customer.tabs")}
        panelId="customer-tabpanel"
      />
      <div id="customer-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === "details" ? (
          <CustomerForm
            fields={fields}
            view={customer}
            onView={setCustomer}
            labelledBy="customer-heading"
          />
        ) : (
          <CustomerHistory customerId={customer.id} onToast={showToast} />
        )}
      </div>
    </section>
  );
}

/** `/customers/new`: the same form, empty. */
export function CustomerNew({ fields }: { fields: CustomerFields }) {
  const { t } = useI18n();
  return (
    <section class="admin-page customer-page" aria-labelledby="customer-heading">
      <p class="breadcrumb">
        <Link href="/customers">{t("nav.customers")}</Link>
      </p>
      <div class="page-header">
        <h1 id="customer-heading">{t("customers.new")}</h1>
      </div>
      <CustomerForm fields={fields} view={null} labelledBy="customer-heading" />
    </section>
  );
}
