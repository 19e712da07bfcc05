/**
 * The softbot tab of a number: whether new conversations first get a menu of the
 * number's bot-labelled skillsets, its question, how the options are shown, what an
 * invalid answer gets and how long the customer has to choose. Below, a live preview
 * of the menu (from the number's skillsets and the style being edited) with what would
 * keep it from working. Saves `bot` alone with the number's version.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { BotSettings, type NumberView, SkillsetView } from "../../../shared/admin.ts";
import { errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { type Translate, useI18n } from "../../i18n.ts";
import {
  AdminForm,
  FieldError,
  FieldGroup,
  fetchAll,
  Link,
  NumberField,
  pathOf,
  TextAreaField,
  Toggle,
  useField,
  useRecordForm,
} from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import { type BotDraft, type BotWarning, botPreview, botToDraft, draftToBot } from "./drafts.ts";
import type { NumberTabProps } from "./tabs.ts";

const STYLES = BotSettings.shape.style.options;
type Style = BotDraft["style"];
const MAX_PROMPT = 1024;
const MAX_TEXT = 4096;
const DAY_SECONDS = 24 * 60 * 60;

export function BotTab({ number, onNumberChange }: NumberTabProps) {
  const { t } = useI18n();
  const form = useRecordForm<NumberView, BotDraft>({
    initial: number,
    load: () => numbersApi.get(number.id),
    onView: onNumberChange,
    toDraft: botToDraft,
    save: (draft, view) =>
      numbersApi.update(number.id, {
        version: view?.version ?? number.version,
        bot: draftToBot(draft),
      }),
    errorPrefix: "bot",
  });
  const { draft, set } = form;
  return (
    <div class="tab-body bot-tab">
      <AdminForm form={form} labelledBy="tab-bot">
        <FieldGroup legend={t("bot.settings")}>
          <Toggle
            name="bot.enabled"
            path="enabled"
            label={t("bot.enabled")}
            hint={t("bot.enabledHint")}
            checked={draft.enabled}
            onChange={(v) => set("enabled", v)}
          />
          <TextAreaField
            name="bot.prompt"
            path="prompt"
            label={t("bot.prompt")}
            hint={t("bot.promptHint")}
            required
            maxLength={MAX_PROMPT}
            value={draft.prompt}
            onInput={(v) => set("prompt", v)}
          />
          <StyleChoice value={draft.style} onChange={(v) => set("style", v)} />
          <TextAreaField
            name="bot.invalidChoice"
            path="invalidChoice"
            label={t("bot.invalidChoice")}
            hint={t("bot.invalidChoiceHint")}
            required={false}
            maxLength={MAX_TEXT}
            value={draft.invalidChoice}
            onInput={(v) => set("invalidChoice", v)}
          />
          <NumberField
            name="bot.timeoutSeconds"
            path="timeoutSeconds"
            label={t("bot.timeoutSeconds")}
            hint={t("bot.timeoutSecondsHint")}
            required
            min={10}
            max={DAY_SECONDS}
            unit={t("form.seconds")}
            value={draft.timeoutSeconds}
            // An emptied input is sent as null, so the server names the field.
            onInput={(v) => set("timeoutSeconds", v)}
          />
        </FieldGroup>
      </AdminForm>
      <BotPreview numberId={number.id} draft={draft} />
    </div>
  );
}

/** The three styles as radios: native ones, so arrow keys move between them. */
function StyleChoice({ value, onChange }: { value: Style; onChange: (style: Style) => void }) {
  const { t } = useI18n();
  const field = useField({ name: "bot.style", path: "style", label: t("bot.style") });
  return (
    <fieldset
      class={`field field-radios${field.error ? " has-error" : ""}`}
      aria-describedby={field.describedBy}
    >
      <legend>{t("bot.style")}</legend>
      {STYLES.map((style) => (
        <label key={style} class="radio">
          <input
            // The error summary links to the field's id: the chosen radio carries it.
            id={style === value ? field.id : undefined}
            type="radio"
            name="bot.style"
            value={style}
            checked={style === value}
            disabled={field.disabled}
            aria-invalid={field.error ? true : undefined}
            onChange={() => onChange(style)}
          />
          {t(`bot.style.${style}`)}
        </label>
      ))}
      <FieldError id={field.errId} path={field.path} message={field.error} />
    </fieldset>
  );
}

type Loaded =
  | { status: "loading" }
  | { status: "failed"; message: string }
  | { status: "ready"; skillsets: SkillsetView[] };

/** The number's skillsets (all of them: the preview needs the labelled ones and the default). */
function useSkillsets(numberId: string): { state: Loaded; retry: () => void } {
  const { t } = useI18n();
  const [state, setState] = useState<Loaded>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    fetchAll("/api/admin", "skillsets", SkillsetView, "priority", { numberId }).then(
      (skillsets) => live && setState({ status: "ready", skillsets }),
      (error: unknown) =>
        live &&
        setState({
          status: "failed",
          message: errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
        }),
    );
    return () => {
      live = false;
    };
  }, [numberId, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, retry };
}

/** The menu as the customer would get it with the draft's question and style. */
function BotPreview({ numberId, draft }: { numberId: string; draft: BotDraft }) {
  const { t } = useI18n();
  const { state, retry } = useSkillsets(numberId);
  return (
    <section class="field-group bot-preview" aria-labelledby="bot-preview-heading">
      <h2 id="bot-preview-heading">{t("bot.preview")}</h2>
      <p class="field-help">{t("bot.previewHint")}</p>
      {!draft.enabled && <p class="field-help bot-preview-off">{t("bot.previewOff")}</p>}
      {state.status === "loading" && <Loading />}
      {state.status === "failed" && (
        <LoadError message={t("bot.previewFailed", { message: state.message })} onRetry={retry} />
      )}
      {state.status === "ready" && <PreviewBody skillsets={state.skillsets} draft={draft} />}
      <p>
        <Link href={pathOf("admin", "numbers", numberId, "skillsets")}>{t("bot.editLabels")}</Link>
      </p>
    </section>
  );
}

function PreviewBody({ skillsets, draft }: { skillsets: SkillsetView[]; draft: BotDraft }) {
  const { t } = useI18n();
  const { options, warnings } = botPreview(skillsets, draft.style);
  return (
    <>
      <div class="bot-menu" data-style={draft.style}>
        <p class="bot-menu-prompt">{draft.prompt}</p>
        {options.length > 0 && (
          <ol class="bot-menu-options">
            {options.map((option, i) => (
              <li key={option.id} data-skillset-id={option.id}>
                <span class="bot-menu-n">{i + 1}.</span>{" "}
                <span class="bot-menu-label">{option.botLabel}</span>{" "}
                <span class="muted">{t("bot.optionOf", { name: option.name })}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
      <div class="bot-warnings" aria-live="polite">
        {warnings.map((warning) => (
          <p key={warning.kind} class="field-warning" data-warning={warning.kind}>
            {warningText(t, warning)}
          </p>
        ))}
      </div>
    </>
  );
}

function warningText(t: Translate, warning: BotWarning): string {
  switch (warning.kind) {
    case "noOptions":
      return t("bot.warn.noOptions");
    case "tooManyOptions":
      return t("bot.warn.tooManyOptions", { max: warning.max, count: warning.count });
    case "titleTooLong":
      return t("bot.warn.titleTooLong", { label: warning.label, max: warning.max });
    case "noDefault":
      return t("bot.warn.noDefault");
  }
}
