/**
 * The customer part of the details pane, loaded on first use: the customer's record in
 * the customers' own form (read-only unless the tenant lets agents edit; agents change
 * only the properties marked for them; saved with its version, conflicts shown with
 * Reload), "E-mail transcript" of the open conversation (`#details-email`), and the
 * customer's history.
 */
import { useCallback, useMemo, useState } from "preact/hooks";
import type { CustomerFields } from "../../../shared/customer-import.ts";
import type { ConversationView } from "../../../shared/protocol.ts";
import "../../admin/admin.css";
import { AdminContext, type ShowToast, useSession } from "../../admin/kit/context.ts";
import { RecordGate, useLoadedRecord } from "../../admin/kit/index.ts";
import { customersApi } from "../../customers/api.ts";
import { CustomerForm } from "../../customers/CustomerForm.tsx";
import { FieldsGate, FieldsProvider } from "../../customers/FieldsContext.tsx";
import { CustomerHistory } from "../../customers/history/CustomerHistory.tsx";
import { EmailDialog } from "../../customers/history/EmailDialog.tsx";
import { useI18n } from "../../i18n.ts";
import { mailConversation } from "./api.ts";

export default function CustomerPanel({ conversation }: { conversation: ConversationView }) {
  const { t } = useI18n();
  const me = useSession();
  const [notice, setNotice] = useState<{ text: string; tone: "info" | "error" } | null>(null);
  const [mailing, setMailing] = useState(false);
  const showToast: ShowToast = useCallback((text, tone = "info") => setNotice({ text, tone }), []);
  const context = useMemo(() => (me ? { me, showToast } : null), [me, showToast]);
  if (!context) return null;
  const customerId = conversation.customer.id;

  return (
    <AdminContext.Provider value={context}>
      <div class="details-customer">
        {notice && (
          <p
            class={`details-notice${notice.tone === "error" ? " is-error" : ""}`}
            role={notice.tone === "error" ? "alert" : "status"}
            id="details-notice"
          >
            {notice.text}
          </p>
        )}
        <section class="details-section" aria-labelledby="details-email-title">
          <h3 id="details-email-title" class="visually-hidden">
            {t("details.email")}
          </h3>
          <p class="field-help">{t("details.emailHint")}</p>
          <button
            id="details-email"
            type="button"
            class="button"
            aria-haspopup="dialog"
            onClick={() => {
              setNotice(null);
              setMailing(true);
            }}
          >
            {t("details.email")}
          </button>
        </section>
        <section class="details-section" aria-labelledby="details-customer-title">
          <h3 id="details-customer-title">{t("details.customer")}</h3>
          <FieldsProvider>
            <FieldsGate>
              {(fields) => <CustomerRecord key={customerId} id={customerId} fields={fields} />}
            </FieldsGate>
          </FieldsProvider>
        </section>
        <div class="details-section details-history">
          <CustomerHistory customerId={customerId} onToast={showToast} />
        </div>
      </div>
      {mailing && (
        <EmailDialog
          customerId={customerId}
          conversationId={conversation.id}
          send={(body) => mailConversation(conversation.id, body)}
          onClose={() => setMailing(false)}
          onSent={() => {
            setMailing(false);
            setNotice({ text: t("details.emailSent"), tone: "info" });
          }}
        />
      )}
    </AdminContext.Provider>
  );
}

/** The customer's record: loads it, then the customers' form. */
function CustomerRecord({ id, fields }: { id: string; fields: CustomerFields }) {
  const fetchCustomer = useCallback(() => customersApi.get(id), [id]);
  const { record, setRecord, status, loadError, retry } = useLoadedRecord(fetchCustomer);
  if (status !== "ready" || !record) {
    return <RecordGate status={status} loadError={loadError} onRetry={retry} />;
  }
  return (
    <CustomerForm
      fields={fields}
      view={record}
      onView={setRecord}
      labelledBy="details-customer-title"
    />
  );
}
