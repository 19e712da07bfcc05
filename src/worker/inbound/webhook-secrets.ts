/**
 * Numbers whose webhooks come from their own Meta app, signed with that app's
 * secret instead of the global one. A delivery the global secret does not
 * verify is accepted only when every number it concerns has the same own app
 * secret and the signature matches it — so one tenant's secret can never be
 * used to inject deliveries for another number.
 */
import { and, eq, exists, or, sql } from "drizzle-orm";
import { z } from "zod";
import { verifySignature } from "../../platform/crypto";
import { d1, qb } from "../../platform/db/d1";
import { managedNumbers, wabaOwners } from "../../platform/db/schema";
import { openSecret } from "../../platform/secrets";

const MetaId = z
  .union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()])
  .transform(String);

const Envelope = z.looseObject({
  entry: z
    .array(
      z.looseObject({
        id: MetaId.optional(),
        changes: z
          .array(
            z.looseObject({
              value: z
                .looseObject({
                  metadata: z.looseObject({ phone_number_id: MetaId.optional() }).optional(),
                })
                .optional(),
            }),
          )
          .max(1000),
      }),
    )
    .min(1)
    .max(1000),
});

/** Whom a delivery concerns: numbers by phone_number_id, and WABAs (entry ids) of changes that name no number. */
export interface WebhookSubjects {
  phoneNumberIds: string[];
  wabaIds: string[];
}

/**
 * Finds the numbers and accounts a webhook body concerns. Null when the body is
 * not a webhook envelope or an entry names neither a number nor an account
 * (then nobody's own secret may vouch for it). Pure.
 */
export function webhookSubjects(body: unknown): WebhookSubjects | null {
  const parsed = Envelope.safeParse(body);
  if (!parsed.success) return null;
  const phoneNumberIds = new Set<string>();
  const wabaIds = new Set<string>();
  for (const entry of parsed.data.entry) {
    // Judged change by change: an entry mixing a number's messages with an
    // account-level change (a template update) concerns that account too.
    for (const change of entry.changes) {
      const id = change.value?.metadata?.phone_number_id;
      if (id !== undefined) phoneNumberIds.add(id);
      else if (entry.id !== undefined) wabaIds.add(entry.id);
      else return null;
    }
  }
  return { phoneNumberIds: [...phoneNumberIds], wabaIds: [...wabaIds] };
}

/**
 * Verifies a delivery against the concerned numbers' own app secret. True only
 * when every phone_number_id is a managed number, every account has managed
 * numbers of the tenant that holds it, all of them share one own app secret,
 * and the signature matches it.
 */
export async function verifyWithNumberSecret(
  db: D1Database,
  dataKey: string,
  body: ArrayBuffer,
  header: string | null | undefined,
): Promise<boolean> {
  if (!header) return false;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return false;
  }
  const subjects = webhookSubjects(json);
  if (!subjects) return false;
  // An account's numbers are those of the tenant that holds it (waba_owners):
  // another tenant naming the same WABA id can never change whose secret counts.
  const holdsWaba = exists(
    qb
      .select({ x: sql`1` })
      .from(wabaOwners)
      .where(
        and(
          eq(wabaOwners.wabaId, managedNumbers.wabaId),
          eq(wabaOwners.tenantId, managedNumbers.tenantId),
        ),
      ),
  );
  // json_each: a delivery may name hundreds of numbers, each list is one bound value.
  const results = await d1(db)
    .select({
      phoneNumberId: managedNumbers.phoneNumberId,
      wabaId: managedNumbers.wabaId,
      appSecret: managedNumbers.appSecret,
      holdsWaba: sql<number>`${holdsWaba}`.as("holds_waba"),
    })
    .from(managedNumbers)
    .where(
      or(
        sql`${managedNumbers.phoneNumberId} IN (SELECT value FROM json_each(${JSON.stringify(subjects.phoneNumberIds)}))`,
        sql`${managedNumbers.wabaId} IN (SELECT value FROM json_each(${JSON.stringify(subjects.wabaIds)}))`,
      ),
    );
  const secrets = new Set<string | null>();
  for (const id of subjects.phoneNumberIds) {
    const row = results.find((r) => r.phoneNumberId === id);
    if (!row) return false;
    secrets.add(row.appSecret);
  }
  for (const waba of subjects.wabaIds) {
    const rows = results.filter((r) => r.wabaId === waba && r.holdsWaba === 1);
    if (rows.length === 0) return false;
    for (const r of rows) secrets.add(r.appSecret);
  }
  // Sealed at rest with a fresh IV each: compared once opened.
  const opened = new Set(
    await Promise.all(
      [...secrets].map((s) => openSecret(dataKey, "managed_numbers.app_secret", s)),
    ),
  );
  const [secret, ...others] = [...opened];
  if (!secret || others.length > 0) return false;
  return verifySignature(secret, body, header);
}
