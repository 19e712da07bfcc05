/**
 * A customer's details: create (`/customers/new`) or view and edit (`/customers/:id`).
 * Read-only when the caller may not edit; agents change only the properties marked for
 * agents. Saves with the version read (409 → conflict and Reload). The opt-in shows who
 * changed it and when: it is the tenant's evidence of consent.
 */
import type { CustomerField, CustomerFields } from "../../shared/customer-import.ts";
import type { CustomerView } from "../../shared/customer-view.ts";
import { formatDateTime } from "../admin/format.ts";
import {
  AdminForm,
  FieldGroup,
  navigate,
  pathOf,
  RecordGate,
  SelectField,
  TextAreaField,
  TextField,
  Toggle,
  useAdmin,
  useRecordForm,
} from "../admin/kit/index.ts";
import { useI18n } from "../i18n.ts";
import { customersApi } from "./api.ts";
import {
  type CustomerDraft,
  createBody,
  customerToDraft,
  emptyCustomer,
  inputOf,
  updateBody,
} from "./drafts.ts";
import { propertyEditor } from "./FieldsContext.tsx";
import { changerName } from "./format.ts";
import { PropertyField } from "./PropertyField.tsx";
import { useUserNames } from "./useUserNames.ts";

const PRIORITIES = [9, 8, 7, 6, 5, 4, 3, 2, 1] as const;

interface CustomerFormProps {
  fields: CustomerFields;
  /** The customer being edited (its page loaded it); null creates one. */
  view: CustomerView | null;
  /** Called with every newer view (after a save or a reload). */
  onView?: (view: CustomerView) => void;
  labelledBy: string;
}

/** Properties grouped by their number, in the catalogue's order. */
function byNumber(properties: readonly CustomerField[]): CustomerField[][] {
  const groups = new Map<string, CustomerField[]>();
  for (const p of properties) {
    const group = groups.get(p.numberId) ?? [];
    group.push(p);
    groups.set(p.numberId, group);
  }
  return [...groups.values()];
}

export function CustomerForm({ fields, view: initial, onView, labelledBy }: CustomerFormProps) {
  const { t, language } = useI18n();
  const { me } = useAdmin();
  const isAdmin = me.role === "admin";
  const mayEditProperty = propertyEditor(fields, isAdmin);
  const id = initial?.id ?? null;

  const form = useRecordForm<CustomerView, CustomerDraft>({
    load: id === null ? undefined : () => customersApi.get(id),
    initial,
    empty: emptyCustomer(),
    toDraft: (v) => customerToDraft(v, fields.properties),
    save: (draft, current) =>
      current
        ? customersApi.update(
            current.id,
            updateBody(draft, current, fields.properties, mayEditProperty),
          )
        : customersApi.create(createBody(draft, fields.properties, mayEditProperty)),
    onView,
    onSaved: (saved, created) => {
      if (created) navigate(pathOf("customers", saved.id), { replace: true });
    },
  });
  const names = useUserNames(
    me,
    Boolean(form.view?.authorizedBy && form.view.authorizedBy !== me.id),
  );

  if (form.status !== "ready" && form.status !== "new") {
    return (
      <RecordGate
        status={form.status}
        loadError={form.loadError}
        onRetry={() => void form.reload()}
        backTo="/customers"
      />
    );
  }

  const { draft, set, view } = form;
  const readOnly = !fields.mayEdit;
  // A masked agent sees some values with `*` in place of what is hidden: those fields
  // stay read-only, so a save never writes the masked text back (the server refuses it too).
  const maskedEdit = me.masked && view !== null;
  const hides = (value: unknown) => maskedEdit && typeof value === "string" && value.includes("*");
  const hiddenHint = t("masking.hidden");
  const setProperty = (field: CustomerField, value: string | boolean) =>
    form.setDraft((d) => ({ ...d, properties: { ...d.properties, [field.id]: value } }));
  const consent =
    view?.authorizedBy && view.authorizedAt !== null
      ? t(view.authorized ? "customer.authorizedOnBy" : "customer.unauthorizedOnBy", {
          who: changerName(view.authorizedBy, names, {
            customer: t("customer.byCustomer"),
            import: t("customer.byImport"),
          }),
          when: formatDateTime(language, view.authorizedAt),
        })
      : undefined;

  return (
    <>
      {readOnly && view && <p class="field-help customer-read-only">{t("customer.readOnly")}</p>}
      {!readOnly && !isAdmin && fields.properties.some((p) => !p.modifiableByAgent) && (
        <p class="field-help">{t("customer.agentLimits")}</p>
      )}
      <AdminForm
        form={form}
        labelledBy={labelledBy}
        readOnly={readOnly}
        labels={{
          phone: t("customers.phone"),
          name: t("customers.name"),
          priority: t("customer.priority"),
          defaultSkillsetId: t("customer.defaultSkillset"),
          ...Object.fromEntries(fields.properties.map((p) => [`properties.${p.id}`, p.name])),
        }}
      >
        <FieldGroup legend={t("customer.contact")}>
          <TextField
            name="phone"
            type="tel"
            inputMode="tel"
            label={t("customers.phone")}
            hint={maskedEdit ? hiddenHint : t("customer.phoneHint")}
            disabled={maskedEdit}
            required
            maxLength={40}
            value={draft.phone}
            onInput={(v) => set("phone", v)}
          />
          <TextField
            name="name"
            label={t("customers.name")}
            hint={hides(view?.name) ? hiddenHint : t("customer.nameHint")}
            disabled={hides(view?.name)}
            required={false}
            maxLength={200}
            value={draft.name}
            onInput={(v) => set("name", v)}
          />
          <TextField
            name="externalId"
            label={t("customer.externalId")}
            hint={hides(view?.externalId) ? hiddenHint : t("customer.externalIdHint")}
            disabled={hides(view?.externalId)}
            required={false}
            maxLength={200}
            value={draft.externalId}
            onInput={(v) => set("externalId", v)}
          />
          <SelectField
            name="priority"
            label={t("customer.priority")}
            hint={t("customer.priorityHint")}
            value={String(draft.priority)}
            options={PRIORITIES.map((p) => ({ value: String(p), label: String(p) }))}
            onChange={(v) => set("priority", Number(v))}
          />
          <SelectField
            name="defaultSkillsetId"
            label={t("customer.defaultSkillset")}
            hint={t("customer.defaultSkillsetHint")}
            value={draft.defaultSkillsetId}
            placeholder={t("customer.noSkillset")}
            options={[
              // A skillset the caller cannot list (deleted meanwhile) stays visible by id.
              ...(draft.defaultSkillsetId &&
              !fields.skillsets.some((s) => s.id === draft.defaultSkillsetId)
                ? [{ value: draft.defaultSkillsetId, label: draft.defaultSkillsetId }]
                : []),
              ...fields.skillsets.map((s) => ({
                value: s.id,
                label: `${s.numberName} — ${s.name}`,
              })),
            ]}
            onChange={(v) => set("defaultSkillsetId", v)}
          />
          <TextAreaField
            name="notes"
            label={t("customer.notes")}
            class="customer-notes"
            hint={hides(view?.notes) ? hiddenHint : undefined}
            disabled={hides(view?.notes)}
            required={false}
            rows={4}
            maxLength={4000}
            value={draft.notes}
            onInput={(v) => set("notes", v)}
          />
        </FieldGroup>

        <FieldGroup legend={t("customer.consent")}>
          <Toggle
            name="authorized"
            label={t("customer.authorizedLabel")}
            hint={consent ?? t("customer.authorizedHint")}
            checked={draft.authorized}
            onChange={(v) => set("authorized", v)}
          />
          <Toggle
            name="bypassBot"
            label={t("customer.bypassBot")}
            hint={t("customer.bypassBotHint")}
            checked={draft.bypassBot}
            onChange={(v) => set("bypassBot", v)}
          />
          <Toggle
            name="keepHistory"
            label={t("customer.keepHistory")}
            hint={t("customer.keepHistoryHint")}
            checked={draft.keepHistory}
            onChange={(v) => set("keepHistory", v)}
          />
        </FieldGroup>

        {byNumber(fields.properties).map((group) => (
          <FieldGroup
            key={group[0]?.numberId}
            legend={t("customer.propertiesOf", { number: group[0]?.numberName ?? "" })}
          >
            {group.map((p) => (
              <PropertyField
                key={p.id}
                field={p}
                value={inputOf(draft, p)}
                disabled={!mayEditProperty(p) || hides(view?.properties[p.id])}
                onChange={(v) => setProperty(p, v)}
              />
            ))}
          </FieldGroup>
        ))}
      </AdminForm>
    </>
  );
}
