/**
 * Numbers with their own Meta app: webhooks signed with the number's app
 * secret (set through the write-only credentials API) are accepted only for
 * deliveries that concern numbers with exactly that secret.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NumberView } from "../../src/shared/admin";
import { webhookSubjects } from "../../src/worker/inbound/webhook-secrets";
import { createNumber } from "../kit/admin";
import { freshPhoneNumberId } from "../kit/ids";
import { APP_SECRET, postWebhook } from "../kit/meta";
import { templateStatusWebhook, textWebhook } from "../kit/meta-payloads";
import { adminSession, call, callJson, type ErrorBody, type Session } from "../kit/session";
import { simAccount } from "../kit/simulator";

const SECRET_A = "own-app-secret-of-number-a";
const SECRET_B = "own-app-secret-of-number-b";

let sender = 0;
function messageWebhook(phoneNumberId: string) {
  sender += 1;
  return textWebhook(phoneNumberId, [
    { from: `3933300${String(sender).padStart(5, "0")}`, text: "ciao" },
  ]) as {
    object: string;
    entry: unknown[];
  };
}

function both(a: { entry: unknown[] }, b: { entry: unknown[] }) {
  return { object: "whatsapp_business_account", entry: [...a.entry, ...b.entry] };
}

async function withSecret(
  admin: Session,
  secret: string | null,
  wabaId: string,
): Promise<NumberView> {
  const n = await createNumber(admin, { wabaId });
  if (secret === null) return n;
  return callJson<NumberView>(
    admin,
    "PUT",
    `/api/admin/numbers/${n.id}/credentials`,
    { version: n.version, appSecret: secret },
    200,
  );
}

async function conversations(n: NumberView): Promise<number> {
  return (await env.NUMBER.getByName(n.id).conversations()).length;
}

describe("a number's own app secret", () => {
  it("verifies deliveries for that number only", async () => {
    const admin = await adminSession();
    const a = await withSecret(admin, SECRET_A, "3000000001");
    const b = await withSecret(admin, SECRET_B, "3000000002");
    const plain = await withSecret(admin, null, "3000000003");
    expect(a.hasAppSecret).toBe(true);

    expect((await postWebhook(messageWebhook(a.phoneNumberId), SECRET_A)).status).toBe(200);
    expect(await conversations(a)).toBe(1);
    // The global secret keeps working for every number.
    expect((await postWebhook(messageWebhook(a.phoneNumberId), APP_SECRET)).status).toBe(200);
    expect(await conversations(a)).toBe(2);

    // A's secret vouches for nobody else: not B, not a number without its own app, not a mix.
    for (const payload of [
      messageWebhook(b.phoneNumberId),
      messageWebhook(plain.phoneNumberId),
      both(messageWebhook(a.phoneNumberId), messageWebhook(b.phoneNumberId)),
      both(messageWebhook(a.phoneNumberId), messageWebhook(plain.phoneNumberId)),
      messageWebhook("199999999999999"),
    ]) {
      expect((await postWebhook(payload, SECRET_A)).status).toBe(401);
    }
    expect((await postWebhook(messageWebhook(a.phoneNumberId), "a-wrong-secret")).status).toBe(401);
    expect(await conversations(a)).toBe(2);
    expect(await conversations(b)).toBe(0);
    expect(await conversations(plain)).toBe(0);
    expect((await postWebhook(messageWebhook(b.phoneNumberId), SECRET_B)).status).toBe(200);
    expect(await conversations(b)).toBe(1);
  });

  it("covers account-level deliveries only when every number of the account shares the secret", async () => {
    const admin = await adminSession();
    await withSecret(admin, SECRET_A, "3100000001");
    await withSecret(admin, SECRET_A, "3100000001");
    await withSecret(admin, SECRET_A, "3100000002");
    await withSecret(admin, null, "3100000002");
    expect(
      (await postWebhook(templateStatusWebhook("3100000001", "987654321", "APPROVED"), SECRET_A))
        .status,
    ).toBe(200);
    expect(
      (await postWebhook(templateStatusWebhook("3100000002", "987654321", "APPROVED"), SECRET_A))
        .status,
    ).toBe(401);
    expect(
      (await postWebhook(templateStatusWebhook("3199999999", "987654321", "APPROVED"), SECRET_A))
        .status,
    ).toBe(401);
  });

  it("a cleared secret no longer verifies anything", async () => {
    const admin = await adminSession();
    const a = await withSecret(admin, SECRET_A, "3200000001");
    await callJson(
      admin,
      "PUT",
      `/api/admin/numbers/${a.id}/credentials`,
      { version: a.version, appSecret: null },
      200,
    );
    expect((await postWebhook(messageWebhook(a.phoneNumberId), SECRET_A)).status).toBe(401);
  });
});

describe("another tenant and a WABA that is not theirs", () => {
  it("registering it answers 409 naming no tenant, and the owner's own-secret webhooks still verify", async () => {
    const owner = await adminSession();
    const other = await adminSession();
    const waba = "3300000001";
    await withSecret(owner, SECRET_A, waba);
    expect(
      (await postWebhook(templateStatusWebhook(waba, "987654321", "APPROVED"), SECRET_A)).status,
    ).toBe(200);

    // The other tenant even holds a token granted on that WABA, for a number in it.
    const phoneNumberId = freshPhoneNumberId();
    const account = await simAccount({ wabaId: waba, phoneNumberIds: [phoneNumberId] });
    const res = await call(other, "POST", "/api/admin/numbers", {
      name: "Mine now",
      displayPhone: "+39 02 1",
      phoneNumberId,
      wabaId: waba,
      accessToken: account.token,
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("already_managed");
    expect(body.error.fields?.map((f) => f.path)).toEqual(["wabaId"]);
    expect(JSON.stringify(body)).not.toContain(owner.tenantId);

    const theirs = await env.DB.prepare(
      "SELECT count(*) AS n FROM managed_numbers WHERE tenant_id = ?",
    )
      .bind(other.tenantId)
      .first("n");
    expect(theirs).toBe(0);
    expect(
      (await postWebhook(templateStatusWebhook(waba, "987654321", "APPROVED"), SECRET_A)).status,
    ).toBe(200);
  });

  it("a number that named the WABA before claims existed does not break the owner's verification", async () => {
    const owner = await adminSession();
    const other = await adminSession();
    const waba = "3300000002";
    await withSecret(owner, SECRET_A, waba);
    // Stored without proof or claim, as the API allowed before.
    await env.DB.prepare(
      `INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name, waba_id)
       VALUES (?, ?, ?, '+1', 'Squatter', ?)`,
    )
      .bind(crypto.randomUUID(), other.tenantId, freshPhoneNumberId(), waba)
      .run();
    expect(
      (await postWebhook(templateStatusWebhook(waba, "987654321", "APPROVED"), SECRET_A)).status,
    ).toBe(200);
  });
});

describe("webhookSubjects", () => {
  it("names numbers, and accounts only for entries without numbers", () => {
    expect(webhookSubjects(both(messageWebhook("111111"), messageWebhook("222222")))).toEqual({
      phoneNumberIds: ["111111", "222222"],
      wabaIds: [],
    });
    expect(webhookSubjects(templateStatusWebhook("333", "987654321", "APPROVED"))).toEqual({
      phoneNumberIds: [],
      wabaIds: ["333"],
    });
    // A number's own secret cannot carry another account's template update in the same entry.
    const mixed = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "444",
          changes: [
            { field: "messages", value: { metadata: { phone_number_id: "111111" } } },
            { field: "message_template_status_update", value: { event: "APPROVED" } },
          ],
        },
      ],
    };
    expect(webhookSubjects(mixed)).toEqual({ phoneNumberIds: ["111111"], wabaIds: ["444"] });
    expect(
      webhookSubjects({ object: "whatsapp_business_account", entry: [{ changes: [{}] }] }),
    ).toBeNull();
    expect(webhookSubjects({ entry: [] })).toBeNull();
    expect(webhookSubjects("nope")).toBeNull();
  });
});
