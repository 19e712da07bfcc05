/**
 * Managed numbers in D1 as the admin API sees them. Credentials never leave
 * the database through here: reads select only whether they are set.
 */
import { and, eq, ne, notExists, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { type D1Db, type D1Statement, d1 } from "../../../platform/db/d1";
import { failedConstraint } from "../../../platform/db/errors";
import { managedNumbers, versionGuard, wabaOwners } from "../../../platform/db/schema";
import { openSecret } from "../../../platform/secrets";
import type { NumberView } from "../../../shared/admin";
import { readSettings, type StoredSettings } from "../../../shared/number-settings";
import { apiError } from "../../app/http";
import { notFound } from "../../security/probe";

/** The fields of a NumberRow: never the secrets themselves, only whether they are set. */
export const NUMBER_FIELDS = {
  id: managedNumbers.id,
  tenantId: managedNumbers.tenantId,
  phoneNumberId: managedNumbers.phoneNumberId,
  displayPhone: managedNumbers.displayPhone,
  name: managedNumbers.name,
  wabaId: managedNumbers.wabaId,
  settings: managedNumbers.settings,
  hasAccessToken: sql<number>`${managedNumbers.accessToken} IS NOT NULL`.as("has_access_token"),
  hasAppSecret: sql<number>`${managedNumbers.appSecret} IS NOT NULL`.as("has_app_secret"),
  provedAt: managedNumbers.provedAt,
  version: managedNumbers.version,
  createdAt: managedNumbers.createdAt,
};

/** A managed_numbers row without its secrets. */
export type NumberRow = SelectResultFields<typeof NUMBER_FIELDS>;

/** The API view of a row; settings are read with defaults for anything missing. */
export function numberView(row: NumberRow): NumberView {
  const { details, ...settings } = readSettings(row.settings);
  return {
    id: row.id,
    name: row.name,
    displayPhone: row.displayPhone,
    phoneNumberId: row.phoneNumberId,
    wabaId: row.wabaId,
    ...details,
    settings,
    hasAccessToken: row.hasAccessToken === 1,
    hasAppSecret: row.hasAppSecret === 1,
    provedAt: row.provedAt,
    createdAt: row.createdAt,
    version: row.version,
  };
}

/** Reads the tenant's number or answers 404. */
export async function numberRow(db: D1Database, id: string, tenantId: string): Promise<NumberRow> {
  const row = await d1(db)
    .select(NUMBER_FIELDS)
    .from(managedNumbers)
    .where(and(eq(managedNumbers.id, id), eq(managedNumbers.tenantId, tenantId)))
    .get();
  if (!row) return notFound(db, managedNumbers, id, tenantId, "No such managed number");
  return row;
}

/** The settings JSON to store. */
export function settingsJson(settings: StoredSettings): string {
  return JSON.stringify(settings);
}

type Language = "en" | "it";

/**
 * The 409 of a phone_number_id already managed (by this tenant or another:
 * the answer never says which).
 */
export function phoneNumberIdTaken(path: string, language: Language): never {
  const message =
    language === "it"
      ? "Questo numero è già gestito in Parley: un numero può appartenere a una sola azienda."
      : "This number is already managed in Parley: a number can belong to one company only.";
  apiError(409, "already_managed", message, [{ path, message }]);
}

/** The 409 of a WhatsApp Business Account that another tenant holds (never saying which). */
export function wabaTaken(path: string, language: Language): never {
  const message =
    language === "it"
      ? "Questo account WhatsApp Business è già usato da un'altra azienda in Parley: un account può appartenere a una sola azienda."
      : "This WhatsApp Business Account is already used by another company in Parley: an account can belong to one company only.";
  apiError(409, "already_managed", message, [{ path, message }]);
}

/** True when a D1 error is the unique index on phone_number_id. */
export function isPhoneNumberIdClash(err: unknown): boolean {
  return failedConstraint(err, "UNIQUE", "managed_numbers.phone_number_id");
}

/**
 * Statements that make `tenantId` hold `wabaId`: taken when free, kept when
 * already the tenant's, and the whole D1 batch fails (a CHECK on
 * version_guard) when another tenant holds it. Put them in the batch that
 * writes the number, after the write, so a clash of phone_number_id is the one
 * reported when both clash.
 */
export function claimWaba(db: D1Db, wabaId: string, tenantId: string): D1Statement[] {
  const owner = db
    .select({ tenantId: wabaOwners.tenantId })
    .from(wabaOwners)
    .where(eq(wabaOwners.wabaId, wabaId));
  return [
    db.insert(wabaOwners).values({ wabaId, tenantId }).onConflictDoNothing({
      target: wabaOwners.wabaId,
    }),
    db.insert(versionGuard).values({ ok: sql`${owner} = ${tenantId}` }),
    db.delete(versionGuard),
  ];
}

/** True when a D1 error is a failed guard (a `claimWaba` clash, or a stale version). */
export function isGuardFailure(err: unknown): boolean {
  return failedConstraint(err, "CHECK");
}

/**
 * Releases the tenant's hold on `wabaId` when none of its numbers (other than
 * `exceptNumberId`, one being deleted in the same batch) names it any more.
 */
export function releaseWaba(
  db: D1Db,
  wabaId: string,
  tenantId: string,
  exceptNumberId: string | null,
): D1Statement {
  return db.delete(wabaOwners).where(
    and(
      eq(wabaOwners.wabaId, wabaId),
      eq(wabaOwners.tenantId, tenantId),
      notExists(
        db
          .select({ x: sql`1` })
          .from(managedNumbers)
          .where(
            and(
              eq(managedNumbers.wabaId, wabaId),
              eq(managedNumbers.tenantId, tenantId),
              sql`${managedNumbers.id} IS NOT ${exceptNumberId}`,
            ),
          ),
      ),
    ),
  );
}

/** Whether a tenant other than `tenantId` holds `wabaId`. */
export async function wabaHeldByOther(
  db: D1Database,
  wabaId: string,
  tenantId: string,
): Promise<boolean> {
  const row = await d1(db)
    .select({ x: sql`1` })
    .from(wabaOwners)
    .where(and(eq(wabaOwners.wabaId, wabaId), ne(wabaOwners.tenantId, tenantId)))
    .get();
  return row !== undefined;
}

/** The number's stored access token, opened (null when none is set). Never leaves the Worker. */
export async function storedAccessToken(
  db: D1Database,
  dataKey: string,
  id: string,
  tenantId: string,
): Promise<string | null> {
  const stored = await d1(db)
    .select({ accessToken: managedNumbers.accessToken })
    .from(managedNumbers)
    .where(and(eq(managedNumbers.id, id), eq(managedNumbers.tenantId, tenantId)))
    .get();
  return openSecret(dataKey, "managed_numbers.access_token", stored?.accessToken ?? null);
}
