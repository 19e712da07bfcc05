/** The details tab: the number's details (one form) and its write-only credentials. */
import type { NumberView } from "../../../shared/admin.ts";
import { AdminForm, useRecordForm } from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import { CredentialsSection } from "./CredentialsSection.tsx";
import { DetailsFields } from "./DetailsFields.tsx";
import { type DetailsDraft, detailsToDraft, draftToDetails } from "./drafts.ts";
import type { NumberTabProps } from "./tabs.ts";

export function DetailsTab({ number, onNumberChange }: NumberTabProps) {
  const form = useRecordForm<NumberView, DetailsDraft>({
    initial: number,
    load: () => numbersApi.get(number.id),
    onView: onNumberChange,
    toDraft: detailsToDraft,
    save: (draft, view) =>
      numbersApi.update(number.id, {
        version: view?.version ?? number.version,
        details: draftToDetails(draft),
      }),
    errorPrefix: "details",
  });
  return (
    <>
      <AdminForm form={form} labelledBy="tab-details">
        <DetailsFields draft={form.draft} set={form.set} wabaRequired={number.wabaId !== null} />
      </AdminForm>
      <CredentialsSection number={number} onNumberChange={onNumberChange} onReload={form.reload} />
    </>
  );
}
