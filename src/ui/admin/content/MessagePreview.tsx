/** What the customer sees of a predefined message: the text bubble and its buttons or list button. */
import { useId } from "preact/hooks";
import type { Interactive } from "../../../shared/admin.ts";
import { useI18n } from "../../i18n.ts";

export function MessagePreview({
  text,
  interactive,
}: {
  text: string;
  interactive: Interactive | null;
}) {
  const { t } = useI18n();
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const actions =
    interactive === null
      ? []
      : interactive.type === "buttons"
        ? interactive.buttons.map((b) => ({ icon: "↩ ", text: b.title }))
        : [{ icon: "☰ ", text: interactive.button }];
  return (
    <section class="template-preview" aria-labelledby={`${uid}-preview`}>
      <h2 id={`${uid}-preview`}>{t("template.preview")}</h2>
      <div class="wa-chat">
        <div class="wa-bubble">
          {text.trim() ? (
            <p class="wa-body">{text}</p>
          ) : (
            <p class="wa-body muted">{t("template.previewEmpty")}</p>
          )}
        </div>
        {actions.length > 0 && (
          <ul class="wa-buttons">
            {actions.map((action, i) => (
              <li key={`${i}-${action.text}`} class="wa-button">
                <span aria-hidden="true">{action.icon}</span>
                {action.text || t("template.buttonUntitled")}
              </li>
            ))}
          </ul>
        )}
        {interactive?.type === "list" && (
          <ul class="wa-list" aria-label={interactive.button || t("interactive.listButton")}>
            {interactive.sections.map((section, s) => (
              <li key={`s${s}`}>
                {section.title && <p class="wa-list-section">{section.title}</p>}
                <ul>
                  {section.rows.map((row, r) => (
                    <li key={`r${s}-${r}`} class="wa-list-row">
                      <span>{row.title || t("template.buttonUntitled")}</span>
                      {row.description && <span class="muted">{row.description}</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
