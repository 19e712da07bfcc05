/**
 * What the audit trail's screens show, as pure functions (unit-tested): the period
 * filter as the API wants it, and the names and values of a recorded change in the
 * reader's language, falling back to the recorded word for anything new.
 */
import type { AuditChange } from "../../../shared/audit.ts";
import type { Translate } from "../../i18n.ts";
import { type AuditMessageKey, auditEn } from "../i18n-audit.ts";

function known(key: string): key is AuditMessageKey {
  return key in auditEn;
}

/** Local midnight of a YYYY-MM-DD date, as an ISO instant; null when not a date. */
function localMidnight(date: string, addDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/**
 * The API's period for the days chosen in the reader's time zone: `from` at the
 * start of its day, `to` at the start of the day after (the API's `to` is exclusive).
 */
export function periodFilters(from: string, to: string): { from?: string; to?: string } {
  const start = from ? localMidnight(from) : null;
  const end = to ? localMidnight(to, 1) : null;
  return { ...(start ? { from: start } : {}), ...(end ? { to: end } : {}) };
}

/** A kind of thing (`user`, `number`, …) in the reader's language. */
export function entityName(t: Translate, entity: string): string {
  const key = `auditEntity.${entity}`;
  return known(key) ? t(key) : entity;
}

/** An action (`create`, `suspend`, …) in the reader's language. */
export function actionName(t: Translate, action: string): string {
  const key = `auditAction.${action}`;
  return known(key) ? t(key) : action;
}

/** A field's name in the reader's language, or as recorded. */
export function fieldName(t: Translate, field: string): string {
  const key = `auditField.${field}`;
  return known(key) ? t(key) : field;
}

/** A recorded value as text: yes/no, a dash for nothing, lists joined, objects as JSON. */
export function valueText(t: Translate, value: unknown): string {
  if (value === null || value === undefined || value === "") return t("audit.nothing");
  if (typeof value === "boolean") return value ? t("audit.yes") : t("audit.no");
  if (Array.isArray(value)) {
    return value.length === 0
      ? t("audit.nothing")
      : value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** One change in a line, for the list: "Field: before → after". */
export function changeLine(t: Translate, change: AuditChange): string {
  const name = fieldName(t, change.field);
  if (change.secret) return `${name}: ${t("audit.secretChanged")}`;
  if (!("before" in change)) return `${name}: ${valueText(t, change.after)}`;
  if (!("after" in change)) return `${name}: ${valueText(t, change.before)}`;
  return `${name}: ${valueText(t, change.before)} → ${valueText(t, change.after)}`;
}
