/**
 * Managed numbers in D1 as the admin API sees them. Credentials never leave
 * the database through here: reads select only whether they are set.
 */

import { openSecret } from "../../../platform/secrets";
import type { NumberView } from "../../../shared/admin";
import { readSettings, type StoredSettings } from "../../../shared/number-settings";
import { apiError } from "../../app/http";
import { notFound } from "../../security/probe";

/** A managed_numbers row without its secrets. */
export interface NumberRow {
  id: string;
  tenant_id: string;
  phone_number_id: string;
  display_phone: string;
  name: string;
  waba_id: string | null;
  settings: string;
  has_access_token: number;
  has_app_secret: number;
  proved_at: number | null;
  version: number;
  created_at: number;
}

/** The SELECT list of a NumberRow from `managed_numbers n`: never the secrets themselves. */
export const NUMBER_COLUMNS = `n.id, n.tenant_id, n.phone_number_id, n.display_phone, n.name, n.waba_id,
  n.settings, n.access_token IS NOT NULL AS has_access_token, n.app_secret IS NOT NULL AS has_app_secret,
  n.proved_at, n.version, n.created_at`;

/** The API view of a row; settings are read with defaults for anything missing. */
export function numberView(row: NumberRow): NumberView {
  const { details, ...settings } = readSettings(row.settings);
  return {
    id: row.id,
    name: row.name,
    displayPhone: row.display_phone,
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    ...details,
    settings,
    hasAccessToken: row.has_access_token === 1,
    hasAppSecret: row.has_app_secret === 1,
    provedAt: row.proved_at,
    createdAt: row.created_at,
    version: row.version,
  };
}

/** Reads the tenant's number or answers 404. */
export async function numberRow(db: D1Database, id: string, tenantId: string): Promise<NumberRow> {
  const row = await db
    .prepare(`SELECT ${NUMBER_COLUMNS} FROM managed_numbers n WHERE n.id = ? AND n.tenant_id = ?`)
    .bind(id, tenantId)
    .first<NumberRow>();
  if (!row) return notFound(db, "managed_numbers", id, tenantId, "No such managed number");
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
  return String(err).includes("UNIQUE constraint failed: managed_numbers.phone_number_id");
}

/**
 * Statements that make `tenantId` hold `wabaId`: taken when free, kept when
 * already the tenant's, and the whole D1 batch fails (a CHECK on
 * version_guard) when another tenant holds it. Put them in the batch that
 * writes the number, after the write, so a clash of phone_number_id is the one
 * reported when both clash.
 */
export function claimWaba(db: D1Database, wabaId: string, tenantId: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        "INSERT INTO waba_owners (waba_id, tenant_id) VALUES (?, ?) ON CONFLICT (waba_id) DO NOTHING",
      )
      .bind(wabaId, tenantId),
    db
      .prepare(
        "INSERT INTO version_guard (ok) VALUES ((SELECT tenant_id FROM waba_owners WHERE waba_id = ?) = ?)",
      )
      .bind(wabaId, tenantId),
    db.prepare("DELETE FROM version_guard"),
  ];
}

/** True when a D1 error is a failed guard (a `claimWaba` clash, or a stale version). */
export function isGuardFailure(err: unknown): boolean {
  return String(err).includes("CHECK constraint failed");
}

/**
 * Releases the tenant's hold on `wabaId` when none of its numbers (other than
 * `exceptNumberId`, one being deleted in the same batch) names it any more.
 */
export function releaseWaba(
  db: D1Database,
  wabaId: string,
  tenantId: string,
  exceptNumberId: string | null,
): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM waba_owners WHERE waba_id = ? AND tenant_id = ? AND NOT EXISTS (
         SELECT 1 FROM managed_numbers WHERE waba_id = ? AND tenant_id = ? AND id IS NOT ?)`,
    )
    .bind(wabaId, tenantId, wabaId, tenantId, exceptNumberId);
}

/** Whether a tenant other than `tenantId` holds `wabaId`. */
export async function wabaHeldByOther(
  db: D1Database,
  wabaId: string,
  tenantId: string,
): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS x FROM waba_owners WHERE waba_id = ? AND tenant_id != ?")
    .bind(wabaId, tenantId)
    .first();
  return row !== null;
}

/** The number's stored access token, opened (null when none is set). Never leaves the Worker. */
export async function storedAccessToken(
  db: D1Database,
  dataKey: string,
  id: string,
  tenantId: string,
): Promise<string | null> {
  const stored = await db
    .prepare("SELECT access_token FROM managed_numbers WHERE id = ? AND tenant_id = ?")
    .bind(id, tenantId)
    .first<string | null>("access_token");
  return openSecret(dataKey, "managed_numbers.access_token", stored);
}
