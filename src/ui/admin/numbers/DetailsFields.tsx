/** The fields of a number's details, shared by the create form and the details tab. */
import { useI18n } from "../../i18n.ts";
import { FieldGroup, NumberField, TextField, Toggle } from "../kit/index.ts";
import type { DetailsDraft } from "./drafts.ts";

interface DetailsFieldsProps {
  draft: DetailsDraft;
  set: <K extends keyof DetailsDraft>(key: K, value: DetailsDraft[K]) => void;
  /** The WABA id must be given (a new number; a number that has one keeps one). */
  wabaRequired: boolean;
}

export function DetailsFields({ draft, set, wabaRequired }: DetailsFieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <FieldGroup legend={t("number.identity")}>
        <TextField
          name="name"
          label={t("number.name")}
          required
          maxLength={100}
          value={draft.name}
          onInput={(v) => set("name", v)}
        />
        <TextField
          name="displayPhone"
          label={t("number.displayPhone")}
          hint={t("number.displayPhoneHint")}
          type="tel"
          required
          maxLength={30}
          value={draft.displayPhone}
          onInput={(v) => set("displayPhone", v)}
        />
        <TextField
          name="phoneNumberId"
          label={t("number.phoneNumberId")}
          hint={t("number.metaIdHint")}
          inputMode="numeric"
          required
          maxLength={20}
          value={draft.phoneNumberId}
          onInput={(v) => set("phoneNumberId", v)}
        />
        <TextField
          name="wabaId"
          label={t("number.wabaId")}
          hint={t("number.wabaIdHint")}
          inputMode="numeric"
          required={wabaRequired}
          maxLength={20}
          value={draft.wabaId}
          onInput={(v) => set("wabaId", v)}
        />
        <TextField
          name="externalId"
          label={t("number.externalId")}
          required={false}
          maxLength={100}
          value={draft.externalId}
          onInput={(v) => set("externalId", v)}
        />
      </FieldGroup>
      <FieldGroup legend={t("number.behaviour")}>
        <NumberField
          name="waitQueueAfterMinutes"
          label={t("number.waitQueueAfterMinutes")}
          hint={t("number.waitQueueAfterMinutesHint")}
          required={false}
          min={1}
          max={10080}
          unit={t("form.minutes")}
          value={draft.waitQueueAfterMinutes}
          onInput={(v) => set("waitQueueAfterMinutes", v)}
        />
        <TextField
          name="closeEmailTo"
          label={t("number.closeEmailTo")}
          hint={t("number.closeEmailToHint")}
          type="email"
          required={false}
          maxLength={254}
          value={draft.closeEmailTo}
          onInput={(v) => set("closeEmailTo", v)}
        />
        <Toggle
          name="acceptOnlyExistingCustomers"
          label={t("number.acceptOnlyExistingCustomers")}
          checked={draft.acceptOnlyExistingCustomers}
          onChange={(v) => set("acceptOnlyExistingCustomers", v)}
        />
        <Toggle
          name="agentsMayEditCustomers"
          label={t("number.agentsMayEditCustomers")}
          checked={draft.agentsMayEditCustomers}
          onChange={(v) => set("agentsMayEditCustomers", v)}
        />
        <Toggle
          name="acceptAttachments"
          label={t("number.acceptAttachments")}
          checked={draft.acceptAttachments}
          onChange={(v) => set("acceptAttachments", v)}
        />
      </FieldGroup>
    </>
  );
}
