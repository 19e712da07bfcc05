/**
 * How customer values read on screen: custom property values by their type, short ids,
 * and who changed the opt-in. Pure (the language and words are passed in); unit-tested.
 */
import type { CustomerField } from "../../shared/customer-import.ts";
import type { PropertyValue } from "../../shared/customer-view.ts";
import type { Language } from "../../shared/protocol.ts";

/**
 * An id as a list shows it: whole when short (an import's or a CRM's own ids,
 * "demo-customer-1"), else its first and last characters ("0f1e2d3c…4b5a"), so rows
 * that share a prefix still read apart. The full id is the cell's title.
 */
export function shortId(id: string): string {
  return id.length <= 20 ? id : `${id.slice(0, 8)}…${id.slice(-4)}`;
}

/** True for a calendar day "YYYY-MM-DD" that exists. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** Words a formatted value may need, in the UI's language. */
export interface ValueWords {
  yes: string;
  no: string;
  /** Shown for no value. */
  none: string;
}

/**
 * A property value as a list cell or a read-only field shows it: numbers and dates in
 * the user's language (a date is a calendar day, so it is read in UTC and never shifts),
 * booleans as Yes/No. A value that does not fit its type is shown as stored.
 */
export function formatPropertyValue(
  language: Language,
  field: Pick<CustomerField, "type">,
  value: PropertyValue | undefined,
  words: ValueWords,
): string {
  if (value === null || value === undefined || value === "") return words.none;
  switch (field.type) {
    case "number":
      return typeof value === "number" ? new Intl.NumberFormat(language).format(value) : `${value}`;
    case "boolean":
      return typeof value === "boolean" ? (value ? words.yes : words.no) : `${value}`;
    case "date":
      return typeof value === "string" && isDay(value)
        ? new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" }).format(
            new Date(`${value}T00:00:00Z`),
          )
        : `${value}`;
    default:
      return `${value}`;
  }
}

/** Words for who changed the opt-in besides a user. */
export interface ChangerWords {
  customer: string;
  import: string;
}

/**
 * Who last changed `authorized`: "customer" and "import" in words, a user by name when
 * known (`names`), else the id itself (agents cannot list users).
 */
export function changerName(
  authorizedBy: string,
  names: ReadonlyMap<string, string>,
  words: ChangerWords,
): string {
  if (authorizedBy === "customer") return words.customer;
  if (authorizedBy === "import") return words.import;
  return names.get(authorizedBy) ?? authorizedBy;
}
