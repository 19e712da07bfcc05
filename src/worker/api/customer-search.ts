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
import { and, inArray, isNotNull, not, or, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Context } from "hono";
import { d1 } from "../../platform/db/d1";
import { customers } from "../../platform/db/schema";
import { candidateLike, maskedContains } from "../../shared/masked-search";
import { maskPhone } from "../../shared/masking";
import type { AppEnv } from "../app/app-types";

/** `customers` as `c`: how the customers list and the searches here name it. */
export const cust = alias(customers, "c");

/** What to search among the rows of `cust` that `scope` keeps. */
export interface CustomerSearchSpec {
  /** The text columns matched besides the phone. */
  texts: ("name" | "externalId")[];
  /** The caller's customers: their tenant, and what they may see. */
  scope: SQL;
}

/** Most rows checked one by one for a masked agent; past it, matches may be missed (never leaked). */
const MAX_CHECKED = 2000;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** `value LIKE pattern`, with `\` escaping the pattern's own `%` and `_` (drizzle's `like` has no ESCAPE). */
const likeEscaped = (value: SQLWrapper, pattern: string) =>
  sql`${value} LIKE ${pattern} ESCAPE '\\'`;

const STARS = "*".repeat(32);
/** Whether a phone is E.164 as stored: "+" and digits only. */
const e164 = (col: SQLWrapper) => sql`(${col} GLOB '+[0-9]*' AND NOT ${col} GLOB '+*[^0-9]*')`;
/** `maskPhone` of an E.164 phone, in SQL: all but the last 4 characters hidden, all with fewer than 8 digits. */
const maskedPhone = (col: SQLWrapper) =>
  sql`CASE WHEN length(${col}) >= 9 THEN substr(${STARS}, 1, length(${col}) - 4) || substr(${col}, -4)
   ELSE substr(${STARS}, 1, length(${col})) END`;
/** Whether masking may change a text: only one with a digit or an `@` (maskText's own first test). */
const mayMask = (col: SQLWrapper) => sql`${col} GLOB '*[0-9@]*'`;

/**
 * The WHERE fragment matching `q` for the caller: clear values for those who
 * see them, masked values (as above) for masked agents. Tenant scoping and
 * visibility stay with `spec.scope`.
 */
export async function customerSearch(
  c: Context<AppEnv>,
  q: string,
  spec: CustomerSearchSpec,
): Promise<SQL> {
  const texts = spec.texts.map((field) => cust[field]);
  if (!c.var.user.masked) {
    const pattern = likePattern(q);
    return or(...[cust.phone, ...texts].map((col) => likeEscaped(col, pattern)))!;
  }
  const exact = likePattern(q);
  const candidate = candidateLike(q);
  const results = await d1(c.env.DB)
    .select({ id: cust.id, phone: cust.phone, name: cust.name, externalId: cust.externalId })
    .from(cust)
    .where(
      and(
        spec.scope,
        or(
          and(isNotNull(cust.phone), not(e164(cust.phone)), likeEscaped(cust.phone, candidate)),
          ...texts.map((col) => and(mayMask(col), likeEscaped(col, candidate))),
        ),
      ),
    )
    .limit(MAX_CHECKED);
  const matched = results
    .filter(
      (row) =>
        (row.phone !== null && maskedContains(row.phone, q, maskPhone)) ||
        spec.texts.some((field) => maskedContains(row[field], q)),
    )
    .map((row) => row.id);
  return or(
    and(e164(cust.phone), likeEscaped(maskedPhone(cust.phone), exact)),
    ...texts.map((col) => and(not(mayMask(col)), likeEscaped(col, exact))),
    // One JSON array bound, not a parameter per id: D1 binds at most 100 per statement.
    inArray(cust.id, sql`(SELECT value FROM json_each(${JSON.stringify(matched)}))`),
  )!;
}
