/**
 * Customers in workerd tests: created through the customers API, imported from
 * files uploaded through the real Worker (into a tenant with a number, a skillset
 * and one customer property of each type), and the rows D1 then holds.
 */
import { env, exports } from "cloudflare:workers";
import type { CustomerPropertyView, NumberView, SkillsetView } from "../../src/shared/admin";
import type { ImportMode, ImportView } from "../../src/shared/customer-import";
import type { CustomerView } from "../../src/shared/customers";
import { addProperty, createNumber, createSkillset } from "./admin";
import type { Upload } from "./files";
import { BASE, callJson, type ErrorBody, type Session } from "./session";

/** Creates a customer through POST /api/customers (`expected`: 201 unless given). */
export function createCustomer(
  session: Session,
  body: Record<string, unknown>,
  expected = 201,
): Promise<CustomerView> {
  return callJson<CustomerView>(session, "POST", "/api/customers", body, expected);
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Uploads a file as the raw body; returns the response (not checked). */
export function upload(
  session: Session,
  body: Upload,
  opts: {
    mode?: ImportMode;
    type?: string;
    id?: string;
    fileName?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const id = opts.id ?? crypto.randomUUID();
  const qs = new URLSearchParams({
    id,
    mode: opts.mode ?? "upsert",
    fileName: opts.fileName ?? "customers.xlsx",
  });
  return exports.default.fetch(`${BASE}/api/customers/imports?${qs}`, {
    method: "POST",
    headers: { Cookie: session.cookie, "Content-Type": opts.type ?? XLSX_TYPE, ...opts.headers },
    body: body as BodyInit,
  });
}

/** Uploads and expects 201: the import's preview. */
export async function uploadOk(
  session: Session,
  body: Upload,
  opts: Parameters<typeof upload>[2] = {},
): Promise<ImportView> {
  const res = await upload(session, body, opts);
  const text = await res.text();
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${text}`);
  return JSON.parse(text) as ImportView;
}

/** Uploads and expects a refusal: its status and error body. */
export async function uploadRefused(
  session: Session,
  body: Upload,
  opts: Parameters<typeof upload>[2] = {},
): Promise<{ status: number; error: ErrorBody["error"] }> {
  const res = await upload(session, body, opts);
  const parsed = (await res.json()) as ErrorBody;
  return { status: res.status, error: parsed.error };
}

/** Applies an import (200 expected). */
export function apply(session: Session, id: string): Promise<ImportView> {
  return callJson<ImportView>(
    session,
    "POST",
    `/api/customers/imports/${id}/apply`,
    undefined,
    200,
  );
}

export interface ImportTenant {
  admin: Session;
  number: NumberView;
  skillset: SkillsetView;
  tier: CustomerPropertyView;
  score: CustomerPropertyView;
  birthday: CustomerPropertyView;
  vip: CustomerPropertyView;
  city: CustomerPropertyView;
}

/** A tenant with a number, a skillset "Sales" and one property of each type. */
export async function importTenant(admin: Session, numberName = "Support"): Promise<ImportTenant> {
  const number = await createNumber(admin, { name: numberName });
  const add = (body: Record<string, unknown>) => addProperty(admin, number.id, body);
  const tier = await add({ name: "Tier", type: "choice", options: ["Gold", "Silver"] });
  const score = await add({ name: "Score", type: "number" });
  const birthday = await add({ name: "Birthday", type: "date" });
  const vip = await add({ name: "VIP", type: "boolean" });
  const city = await add({ name: "City", type: "text" });
  const skillset = await createSkillset(admin, number.id, { name: "Sales" });
  return { admin, number, skillset, tier, score, birthday, vip, city };
}

/** A stored customer row, by phone. */
export interface StoredCustomer {
  id: string;
  phone: string;
  name: string;
  authorized: number;
  authorized_by: string | null;
  authorized_at: number | null;
  bypass_bot: number;
  priority: number;
  default_skillset_id: string | null;
  notes: string | null;
  external_id: string | null;
  keep_history: number;
  properties: string;
  version: number;
}

/** The customer row D1 holds for `phone` in the tenant, or null. */
export async function customerByPhone(
  tenantId: string,
  phone: string,
): Promise<StoredCustomer | null> {
  return env.DB.prepare("SELECT * FROM customers WHERE tenant_id = ? AND phone = ?")
    .bind(tenantId, phone)
    .first<StoredCustomer>();
}
