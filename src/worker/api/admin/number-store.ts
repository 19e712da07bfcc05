/**
 * Managed numbers in D1 as the admin API sees them. Credentials never leave
 * the database through here: reads select only whether they are set.
 */
import type { NumberView } from "../../../shared/admin";
import { readSettings, type StoredSettings } from "../../../shared/number-settings";
import { apiError } from "../../http";

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
  version: number;
  created_at: number;
}

/** The SELECT list of a NumberRow from `managed_numbers n`: never the secrets themselves. */
export const NUMBER_COLUMNS = `n.id, n.tenant_id, n.phone_number_id, n.display_phone, n.name, n.waba_id,
  n.settings, n.access_token IS NOT NULL AS has_access_token, n.app_secret IS NOT NULL AS has_app_secret,
  n.version, n.created_at`;

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
  if (!row) apiError(404, "not_found", "No such managed number");
  return row;
}

/** The settings JSON to store. */
export function settingsJson(settings: StoredSettings): string {
  return JSON.stringify(settings);
}

/**
 * Answers 409 naming `path` when another number (of any tenant: Meta's ids are
 * global) already uses `phoneNumberId`.
 */
export async function requireFreePhoneNumberId(
  db: D1Database,
  phoneNumberId: string,
  path: string,
  exceptId: string | null = null,
): Promise<void> {
  const taken = await db
    .prepare("SELECT 1 AS x FROM managed_numbers WHERE phone_number_id = ? AND id IS NOT ?")
    .bind(phoneNumberId, exceptId)
    .first();
  if (taken) phoneNumberIdTaken(path);
}

/** The 409 of a phone_number_id already managed. */
export function phoneNumberIdTaken(path: string): never {
  apiError(409, "conflict", "This phone number ID is already managed by Parley", [
    { path, message: "already managed by Parley" },
  ]);
}

/** True when a D1 error is the unique index on phone_number_id. */
export function isPhoneNumberIdClash(err: unknown): boolean {
  return String(err).includes("UNIQUE constraint failed: managed_numbers.phone_number_id");
}
