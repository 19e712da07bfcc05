/** The messages tab: the automatic replies of a number (blank = not sent). */
import type { NumberView } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";
import {
  AdminForm,
  FieldGroup,
  NumberField,
  TextAreaField,
  Toggle,
  useRecordForm,
} from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import { draftToMessages, type MessagesDraft, messagesToDraft } from "./drafts.ts";
import type { NumberTabProps } from "./tabs.ts";

const MAX_TEXT = 4096;
type TextKey = Exclude<keyof MessagesDraft, "welcomeOnAssignmentDelaySeconds" | "welcomeAsAgent">;
const LATER_TEXTS: readonly TextKey[] = [
  "outOfHours",
  "transfer",
  "close",
  "waitingAtClosingTime",
  "unauthorized",
  "attachmentRejected",
];

export function MessagesTab({ number, onNumberChange }: NumberTabProps) {
  const { t } = useI18n();
  const form = useRecordForm<NumberView, MessagesDraft>({
    initial: number,
    load: () => numbersApi.get(number.id),
    onView: onNumberChange,
    toDraft: messagesToDraft,
    save: (draft, view) =>
      numbersApi.update(number.id, {
        version: view?.version ?? number.version,
        messages: draftToMessages(draft),
      }),
    errorPrefix: "messages",
  });
  const { draft, set } = form;
  const text = (key: TextKey) => (
    <TextAreaField
      key={key}
      name={key}
      label={t(`messages.${key}`)}
      hint={t(`messages.${key}Hint`)}
      required={false}
      maxLength={MAX_TEXT}
      value={draft[key]}
      onInput={(v) => set(key, v)}
    />
  );
  return (
    <AdminForm form={form} labelledBy="tab-messages">
      <p class="field-help">{t("messages.blankHint")}</p>
      <FieldGroup legend={t("messages.welcomeGroup")}>
        {text("welcome")}
        {text("welcomeOnAssignment")}
        <NumberField
          name="welcomeOnAssignmentDelaySeconds"
          label={t("messages.welcomeOnAssignmentDelaySeconds")}
          hint={t("messages.welcomeOnAssignmentDelaySecondsHint")}
          min={0}
          max={3600}
          unit={t("form.seconds")}
          value={draft.welcomeOnAssignmentDelaySeconds}
          onInput={(v) => set("welcomeOnAssignmentDelaySeconds", v ?? 0)}
        />
        <Toggle
          name="welcomeAsAgent"
          label={t("messages.welcomeAsAgent")}
          hint={t("messages.welcomeAsAgentHint")}
          checked={draft.welcomeAsAgent}
          onChange={(v) => set("welcomeAsAgent", v)}
        />
      </FieldGroup>
      <FieldGroup legend={t("messages.otherGroup")}>{LATER_TEXTS.map(text)}</FieldGroup>
    </AdminForm>
  );
}
