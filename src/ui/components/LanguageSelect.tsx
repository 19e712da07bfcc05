/** A <select> of the UI languages, each named in its own language. */
import { LANGUAGES, parseLanguage, useI18n } from "../i18n.ts";

export function LanguageSelect({ id, label }: { id: string; label?: string }) {
  const { t, language, setLanguage } = useI18n();
  return (
    <select
      id={id}
      aria-label={label}
      value={language}
      onChange={(e) => {
        const chosen = parseLanguage(e.currentTarget.value);
        if (chosen) setLanguage(chosen);
      }}
    >
      {LANGUAGES.map((code) => (
        <option key={code} value={code} lang={code}>
          {t(`language.${code}`)}
        </option>
      ))}
    </select>
  );
}
