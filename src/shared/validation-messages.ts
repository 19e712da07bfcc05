/**
 * What a failed check says to a person, in English or Italian: "Fill this in.",
 * "At most 80 characters.", "Not a valid e-mail address." — never a library's own
 * wording ("Too small: expected string to have >=1 characters"). The Worker's
 * validators (src/worker/app/http.ts) and the desktop's zod (src/ui/zod-config.ts) use
 * it as zod's error map; a schema's own message (`.min(10, "…")`) still wins. Pure.
 */
import type { z } from "zod";

export type ValidationLanguage = "en" | "it";

type Issue = z.core.$ZodRawIssue;

const EN = {
  required: "Fill this in.",
  atLeastChars: "At least {n} characters.",
  atMostChars: "At most {n} characters.",
  exactChars: "Exactly {n} characters.",
  atLeast: "At least {n}.",
  atMost: "At most {n}.",
  above: "More than {n}.",
  below: "Less than {n}.",
  chooseOne: "Choose at least one.",
  atLeastItems: "At least {n} items.",
  atMostItems: "At most {n} items.",
  wholeNumber: "A whole number.",
  number: "A number.",
  text: "A text.",
  yesNo: "Yes or no.",
  list: "A list.",
  email: "Not a valid e-mail address.",
  url: "Not a valid web address.",
  id: "Not a valid identifier.",
  date: "Not a valid date.",
  format: "Not in the expected format.",
  oneOf: "Choose one of: {values}.",
  unknownFields: "Not a field this form has: {keys}.",
  multipleOf: "A multiple of {n}.",
  invalid: "Not a valid value.",
} as const;

const IT: Record<keyof typeof EN, string> = {
  required: "Compila questo campo.",
  atLeastChars: "Almeno {n} caratteri.",
  atMostChars: "Al massimo {n} caratteri.",
  exactChars: "Esattamente {n} caratteri.",
  atLeast: "Almeno {n}.",
  atMost: "Al massimo {n}.",
  above: "Più di {n}.",
  below: "Meno di {n}.",
  chooseOne: "Scegline almeno uno.",
  atLeastItems: "Almeno {n} elementi.",
  atMostItems: "Al massimo {n} elementi.",
  wholeNumber: "Un numero intero.",
  number: "Un numero.",
  text: "Un testo.",
  yesNo: "Sì o no.",
  list: "Un elenco.",
  email: "Indirizzo e-mail non valido.",
  url: "Indirizzo web non valido.",
  id: "Identificativo non valido.",
  date: "Data non valida.",
  format: "Formato non valido.",
  oneOf: "Scegli tra: {values}.",
  unknownFields: "Campi che questo modulo non ha: {keys}.",
  multipleOf: "Un multiplo di {n}.",
  invalid: "Valore non valido.",
};

const MESSAGES: Record<ValidationLanguage, Record<keyof typeof EN, string>> = { en: EN, it: IT };

const SIZED = new Set(["array", "set", "file"]);

/** The message for `issue` in `language`; never undefined (a generic one at worst). */
export function validationMessage(issue: Issue, language: ValidationLanguage): string {
  const m = MESSAGES[language];
  const say = (key: keyof typeof EN, values: Record<string, string | number> = {}) =>
    m[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ""));
  switch (issue.code) {
    case "too_small": {
      const n = Number(issue.minimum);
      if (issue.origin === "string") {
        if (issue.exact) return say("exactChars", { n });
        return n <= 1 ? say("required") : say("atLeastChars", { n });
      }
      if (SIZED.has(issue.origin)) return n <= 1 ? say("chooseOne") : say("atLeastItems", { n });
      return issue.inclusive === false ? say("above", { n }) : say("atLeast", { n });
    }
    case "too_big": {
      const n = Number(issue.maximum);
      if (issue.origin === "string") {
        return issue.exact ? say("exactChars", { n }) : say("atMostChars", { n });
      }
      if (SIZED.has(issue.origin)) return say("atMostItems", { n });
      return issue.inclusive === false ? say("below", { n }) : say("atMost", { n });
    }
    case "invalid_type": {
      if (issue.input === undefined || issue.input === null) return say("required");
      switch (issue.expected) {
        case "int":
          return say("wholeNumber");
        case "number":
        case "bigint":
          return say("number");
        case "string":
          return say("text");
        case "boolean":
          return say("yesNo");
        case "array":
          return say("list");
        case "date":
          return say("date");
        default:
          return say("invalid");
      }
    }
    case "invalid_format":
      switch (issue.format) {
        case "email":
          return say("email");
        case "url":
          return say("url");
        case "uuid":
        case "guid":
        case "cuid":
        case "cuid2":
        case "ulid":
        case "nanoid":
          return say("id");
        case "date":
        case "datetime":
        case "time":
          return say("date");
        default:
          return say("format");
      }
    case "invalid_value":
      return issue.values.length > 0 && issue.values.length <= 8
        ? say("oneOf", { values: issue.values.map(String).join(", ") })
        : say("invalid");
    case "unrecognized_keys":
      return say("unknownFields", { keys: issue.keys.join(", ") });
    case "not_multiple_of":
      return say("multipleOf", { n: Number(issue.divisor) });
    default:
      return say("invalid");
  }
}

/** zod's error map for `language` (see the module comment). */
export function validationErrorMap(language: ValidationLanguage): (issue: Issue) => string {
  return (issue) => validationMessage(issue, language);
}
