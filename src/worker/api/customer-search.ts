/**
 * The customers' search by name, phone and other text columns (the customers
 * list and its download, the outbound customer search), for every caller.
 *
 * Admins and agents who see clear data match `q` anywhere in the clear values.
 * Agents who see masked data match only what they see (the rule of
 * src/shared/masked-search.ts): the phone as `maskPhone` shows it, texts as
 * `maskText` shows them. SQL does what it can exactly — an E.164 phone's mask
 * is computed in SQL, and a text without a digit or an `@` is never masked —
 * and the few rows left (texts that may hold masked data, phones in another
 * form) are found on clear values, a superset, then checked as masked here.
 */
import type { Context } from "hono";
import { candidateLike, maskedContains } from "../../shared/masked-search";
import { maskPhone } from "../../shared/masking";
import type { AppEnv } from "../app/app-types";

/** A WHERE fragment and the values it binds, in order. */
export interface SearchClause {
  sql: string;
  binds: unknown[];
}

/** What to search: SQL columns of the rows `from` selects (with `binds`), which include `c.id`. */
export interface CustomerSearchSpec {
  phone: string;
  texts: string[];
  /** `FROM … WHERE …` restricted to the caller's tenant and visibility. */
  from: string;
  binds: unknown[];
}

/** Most rows checked one by one for a masked agent; past it, matches may be missed (never leaked). */
const MAX_CHECKED = 2000;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const STARS = "*".repeat(32);
/** Whether a phone is E.164 as stored: "+" and digits only. */
const e164 = (col: string) => `(${col} GLOB '+[0-9]*' AND NOT ${col} GLOB '+*[^0-9]*')`;
/** `maskPhone` of an E.164 phone, in SQL: all but the last 4 characters hidden, all with fewer than 8 digits. */
const maskedPhone = (col: string) =>
  `CASE WHEN length(${col}) >= 9 THEN substr('${STARS}', 1, length(${col}) - 4) || substr(${col}, -4)
   ELSE substr('${STARS}', 1, length(${col})) END`;
/** Whether masking may change a text: only one with a digit or an `@` (maskText's own first test). */
const mayMask = (col: string) => `${col} GLOB '*[0-9@]*'`;

/**
 * The WHERE fragment matching `q` for the caller: clear values for those who
 * see them, masked values (as above) for masked agents. Tenant scoping and
 * visibility stay with `spec.from`.
 */
export async function customerSearch(
  c: Context<AppEnv>,
  q: string,
  spec: CustomerSearchSpec,
): Promise<SearchClause> {
  const columns = [spec.phone, ...spec.texts];
  if (!c.var.user.masked) {
    return {
      sql: `(${columns.map((col) => `${col} LIKE ? ESCAPE '\\'`).join(" OR ")})`,
      binds: columns.map(() => likePattern(q)),
    };
  }
  const exact = likePattern(q);
  const candidate = candidateLike(q);
  const { phone, texts } = spec;
  const { results } = await c.env.DB.prepare(
    `SELECT c.id AS id, ${phone} AS phone, ${texts.map((t, i) => `${t} AS t${i}`).join(", ")}
     ${spec.from} AND (
       (${phone} IS NOT NULL AND NOT ${e164(phone)} AND ${phone} LIKE ? ESCAPE '\\')
       ${texts.map((t) => `OR (${mayMask(t)} AND ${t} LIKE ? ESCAPE '\\')`).join(" ")})
     LIMIT ?`,
  )
    .bind(...spec.binds, candidate, ...texts.map(() => candidate), MAX_CHECKED)
    .all<Record<string, string | null>>();
  const matched = results
    .filter(
      (row) =>
        (row.phone !== null && maskedContains(row.phone, q, maskPhone)) ||
        texts.some((_, i) => maskedContains(row[`t${i}`], q)),
    )
    .map((row) => row.id);
  return {
    sql: `((${e164(phone)} AND ${maskedPhone(phone)} LIKE ? ESCAPE '\\')
      ${texts.map((t) => `OR (NOT ${mayMask(t)} AND ${t} LIKE ? ESCAPE '\\')`).join(" ")}
      OR c.id IN (SELECT value FROM json_each(?)))`,
    binds: [exact, ...texts.map(() => exact), JSON.stringify(matched)],
  };
}
