/**
 * A new managed number: its details and its credentials (write-only from then
 * on). The server saves it only once Meta confirms the access token reads the
 * number and the WABA lists it; a refusal shows on the field it names.
 */
import { NumberView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import {
  AdminForm,
  FieldGroup,
  Link,
  navigate,
  pathOf,
  postJson,
  TextField,
  useRecordForm,
} from "../kit/index.ts";
import { DetailsFields } from "./DetailsFields.tsx";
import {
  type DetailsDraft,
  EMPTY_NEW_NUMBER,
  type NewNumberDraft,
  newNumberBody,
} from "./drafts.ts";

export function NumberCreate() {
  const { t } = useI18n();
  const form = useRecordForm<NumberView, NewNumberDraft>({
    empty: EMPTY_NEW_NUMBER,
    toDraft: () => EMPTY_NEW_NUMBER,
    save: (draft) => postJson("/api/admin/numbers", NumberView, newNumberBody(draft)),
    onSaved: (view) => navigate(pathOf("admin", "numbers", view.id, "details"), { replace: true }),
  });
  const { draft, set } = form;
  const setDetail = <K extends keyof DetailsDraft>(key: K, value: DetailsDraft[K]) =>
    set(key, value as NewNumberDraft[K]);
  return (
    <section class="admin-page" aria-labelledby="number-new-heading">
      <p class="breadcrumb">
        <Link href="/admin/numbers">{t("nav.numbers")}</Link>
      </p>
      <h1 id="number-new-heading">{t("number.newTitle")}</h1>
      <AdminForm form={form} labelledBy="number-new-heading">
        <DetailsFields draft={draft} set={setDetail} wabaRequired />
        <FieldGroup legend={t("credentials.title")} hint={t("credentials.hint")}>
          <TextField
            name="accessToken"
            label={t("credentials.accessToken")}
            hint={t("credentials.accessTokenHint")}
            type="password"
            autoComplete="new-password"
            required
            maxLength={1000}
            value={draft.accessToken}
            onInput={(v) => set("accessToken", v)}
          />
          <TextField
            name="appSecret"
            label={t("credentials.appSecret")}
            hint={t("credentials.appSecretHint")}
            type="password"
            autoComplete="new-password"
            required={false}
            maxLength={200}
            value={draft.appSecret}
            onInput={(v) => set("appSecret", v)}
          />
        </FieldGroup>
      </AdminForm>
    </section>
  );
}
