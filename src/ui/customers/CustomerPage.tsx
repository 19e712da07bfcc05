/**
 * One customer (`/customers/:id`): the heading, Delete (admins), and two tabs at their
 * own URLs — Details (`/customers/:id`) and History (`/customers/:id/history`).
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { CustomerFields } from "../../shared/customer-import.ts";
import type { CustomerView } from "../../shared/customer-view.ts";
import {
  DeleteRecord,
  Link,
  navigate,
  pathOf,
  RecordGate,
  type RecordStatus,
  useAdmin,
} from "../admin/kit/index.ts";
import { ApiError, errorMessage } from "../api.ts";
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
  const [customer, setCustomer] = useState<CustomerView | null>(null);
  const [status, setStatus] = useState<RecordStatus>("loading");
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setCustomer(await customersApi.get(id));
      setStatus("ready");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setStatus("missing");
      else if (error instanceof ApiError && error.status === 403) setStatus("forbidden");
      else {
        setLoadError(errorMessage(error, t("app.networkError"), t("app.unexpectedError")));
        setStatus("failed");
      }
    }
  }, [id, t]);

  useEffect(() => {
    setStatus("loading");
    void load();
  }, [load]);

  if (status !== "ready" || !customer) {
    return (
      <RecordGate
        status={status}
        loadError={loadError}
        onRetry={() => void load()}
        backTo="/customers"
      />
    );
  }

  // Arrow keys move between tabs, as in any tab list.
  const onTabKey = (event: KeyboardEvent) => {
    const index = CUSTOMER_TABS.findIndex((candidate) => candidate.key === tab);
    let next = -1;
    if (event.key === "ArrowRight") next = (index + 1) % CUSTOMER_TABS.length;
    else if (event.key === "ArrowLeft")
      next = (index - 1 + CUSTOMER_TABS.length) % CUSTOMER_TABS.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = CUSTOMER_TABS.length - 1;
    const target = CUSTOMER_TABS[next];
    if (!target) return;
    event.preventDefault();
    navigate(tabHref(id, target.path));
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[role=tab][data-tab="${target.key}"]`)?.focus(),
    );
  };

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
      <div class="tabs" role="tablist" aria-label={t("customer.tabs")} onKeyDown={onTabKey}>
        {CUSTOMER_TABS.map((candidate) => {
          const selected = candidate.key === tab;
          return (
            <Link
              key={candidate.key}
              id={`tab-${candidate.key}`}
              href={tabHref(id, candidate.path)}
              role="tab"
              data-tab={candidate.key}
              aria-selected={selected}
              aria-controls="customer-tabpanel"
              tabIndex={selected ? 0 : -1}
            >
              {t(candidate.label)}
            </Link>
          );
        })}
      </div>
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
