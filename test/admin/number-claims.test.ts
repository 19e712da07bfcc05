/**
 * Who may claim a managed number, through the real Worker, D1 and the Meta
 * simulator over HTTP (which scopes Graph reads to each token's WABAs like
 * Meta): a number is stored only once its access token proves it, every
 * refusal names its field and stores nothing, a new token or new ids are
 * proved again, and a phone number id or WABA belongs to one tenant.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEV_DATA_KEY } from "../../src/platform/config";
import { openSecret } from "../../src/platform/secrets";
import type { NumberView } from "../../src/shared/admin";
import { proveNumber } from "../../src/worker/api/admin/number-proof";
import { createNumber } from "../kit/admin";
import { freshPhoneNumberId } from "../kit/ids";
import { postWebhook, SIM_URL } from "../kit/meta";
import { textWebhook } from "../kit/meta-payloads";
import {
  adminSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  type Session,
} from "../kit/session";
import { sim, simAccount } from "../kit/simulator";
import { countRows } from "../kit/tenant";

const GRAPH = `${SIM_URL}/v23.0`;

function newNumber(claim: { phoneNumberId: string; wabaId: string; accessToken: string }) {
  return { name: "Sales", displayPhone: "+39 02 5555 0101", ...claim };
}

/** The stored row, its access token opened with the test configuration's key (stored sealed). */
async function stored(id: string) {
  const row = await env.DB.prepare(
    "SELECT phone_number_id, waba_id, access_token, version, proved_at FROM managed_numbers WHERE id = ?",
  )
    .bind(id)
    .first<{
      phone_number_id: string;
      waba_id: string | null;
      access_token: string | null;
      version: number;
      proved_at: number | null;
    }>();
  return (
    row && {
      ...row,
      access_token: await openSecret(
        DEV_DATA_KEY,
        "managed_numbers.access_token",
        row.access_token,
      ),
    }
  );
}

async function refusalOf(res: Response) {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, code: body.error.code, fields: body.error.fields ?? [], body };
}

function postAs(admin: Session, language: string, body: unknown): Promise<Response> {
  return call(admin, "POST", "/api/admin/numbers", body, { "Accept-Language": language });
}

describe("creating a number needs proof from Graph", () => {
  it("stores it only when the token reads the number and the WABA lists it; each refusal names its field", async () => {
    const admin = await adminSession();
    const phoneNumberId = freshPhoneNumberId();
    const mine = await simAccount({ phoneNumberIds: [phoneNumberId] });
    // A token of another WABA, a WABA of this token that does not hold the number.
    const foreign = await simAccount({ phoneNumberIds: [freshPhoneNumberId()] });
    const sideWaba = await simAccount({
      token: mine.token,
      phoneNumberIds: [freshPhoneNumberId()],
    });
    const cases: [string, Record<string, string>, string][] = [
      ["token Meta does not know", { accessToken: "EAAG-made-up-token-00000000" }, "accessToken"],
      ["token of another WABA", { accessToken: foreign.token }, "phoneNumberId"],
      ["number the token cannot see", { phoneNumberId: freshPhoneNumberId() }, "phoneNumberId"],
      ["WABA the token cannot see", { wabaId: foreign.wabaId }, "wabaId"],
      ["number not in that WABA", { wabaId: sideWaba.wabaId }, "wabaId"],
    ];
    const claim = { phoneNumberId, wabaId: mine.wabaId, accessToken: mine.token };
    for (const [what, change, field] of cases) {
      const res = await call(
        admin,
        "POST",
        "/api/admin/numbers",
        newNumber({ ...claim, ...change }),
      );
      const r = await refusalOf(res);
      expect([r.status, r.code], what).toEqual([400, "number_not_proved"]);
      expect(
        r.fields.map((f) => f.path),
        what,
      ).toEqual([field]);
      expect(r.fields[0]!.message, what).toBe(r.body.error.message);
    }
    expect(await countRows("managed_numbers", admin.tenantId)).toBe(0);

    const created = await callJson<NumberView>(
      admin,
      "POST",
      "/api/admin/numbers",
      newNumber(claim),
      201,
    );
    expect(created).toMatchObject({ phoneNumberId, wabaId: mine.wabaId, hasAccessToken: true });
    expect(created.provedAt).not.toBeNull();
  });

  it("tells an Italian admin in Italian, an English one in English", async () => {
    const admin = await adminSession();
    const phoneNumberId = freshPhoneNumberId();
    const mine = await simAccount({ phoneNumberIds: [phoneNumberId] });
    const body = newNumber({ phoneNumberId, wabaId: mine.wabaId, accessToken: "EAAG-nope-000000" });
    const it_ = await refusalOf(await postAs(admin, "it-IT,it;q=0.9", body));
    expect(it_.fields).toEqual([
      {
        path: "accessToken",
        message:
          "Meta non accetta questo token di accesso: potrebbe essere errato, scaduto o revocato.",
      },
    ]);
    const en = await refusalOf(await postAs(admin, "en", body));
    expect(en.fields[0]!.message).toBe(
      "Meta does not accept this access token: it may be wrong, expired or revoked.",
    );
  });

  it("answers 503 when Meta does not answer and 502 when it fails oddly, storing nothing", async () => {
    const admin = await adminSession();
    const phoneNumberId = freshPhoneNumberId();
    const mine = await simAccount({ phoneNumberIds: [phoneNumberId] });
    const body = newNumber({ phoneNumberId, wabaId: mine.wabaId, accessToken: mine.token });
    // Faults scoped to this test's number and WABA: other tests share the simulator.
    const faults: [Record<string, unknown>, number, string][] = [
      [{ objectId: phoneNumberId, drop: true }, 503, "meta_unavailable"],
      [{ objectId: mine.wabaId, httpStatus: 500, code: 131000 }, 503, "meta_unavailable"],
      [{ objectId: phoneNumberId, httpStatus: 429, code: 130429 }, 503, "meta_unavailable"],
      [{ objectId: mine.wabaId, httpStatus: 400, code: 12 }, 502, "meta_error"],
    ];
    for (const [fault, status, code] of faults) {
      expect((await sim("/_sim/faults", fault)).status).toBe(200);
      const r = await refusalOf(await call(admin, "POST", "/api/admin/numbers", body));
      expect([r.status, r.code], JSON.stringify(fault)).toEqual([status, code]);
      expect(r.body.error.message).toMatch(/Nothing was saved/);
    }
    expect(await countRows("managed_numbers", admin.tenantId)).toBe(0);
    // Meta is back: the same request succeeds.
    await callJson(admin, "POST", "/api/admin/numbers", body, 201);
  });

  it("gives up on a Graph read that does not answer within its timeout", async () => {
    const phoneNumberId = freshPhoneNumberId();
    const mine = await simAccount({ phoneNumberIds: [phoneNumberId] });
    await sim("/_sim/faults", { objectId: phoneNumberId, delayMs: 3000, httpStatus: 500 });
    const started = Date.now();
    const result = await proveNumber(
      GRAPH,
      { phoneNumberId, wabaId: mine.wabaId, accessToken: mine.token },
      { timeoutMs: 300 },
    );
    expect(result).toEqual({ ok: false, failure: { kind: "meta_unreachable" } });
    expect(Date.now() - started).toBeLessThan(2500);
  });
});

describe("changing a number's ids or token proves it again", () => {
  it("a new phone number id or WABA id is proved with the stored token; a refusal changes nothing", async () => {
    const admin = await adminSession();
    const n = await createNumber(admin);
    const path = `/api/admin/numbers/${n.id}`;
    const before = await stored(n.id);
    // A WABA and a number the stored token cannot see.
    const foreign = await simAccount({ phoneNumberIds: [freshPhoneNumberId()] });
    for (const [details, field] of [
      [{ wabaId: foreign.wabaId }, "details.wabaId"],
      [{ phoneNumberId: freshPhoneNumberId() }, "details.phoneNumberId"],
      [{ wabaId: null }, "details.wabaId"],
    ] as const) {
      const res = await call(admin, "PATCH", path, { version: 1, details });
      expect(res.status, JSON.stringify(details)).toBe(400);
      expect(await badFields(res)).toEqual([field]);
    }
    expect(await stored(n.id)).toEqual(before);

    // Another number of the same WABA, which the stored token sees: accepted.
    const moved = freshPhoneNumberId();
    await simAccount({ wabaId: n.wabaId!, phoneNumberIds: [moved] });
    const saved = await callJson<NumberView>(
      admin,
      "PATCH",
      path,
      { version: 1, details: { phoneNumberId: moved, name: "Moved" } },
      200,
    );
    expect(saved).toMatchObject({ phoneNumberId: moved, name: "Moved", version: 2 });
    // Saving other details with the ids unchanged asks Meta nothing.
    await sim("/_sim/faults", { objectId: moved, drop: true, count: 5 });
    await callJson(
      admin,
      "PATCH",
      path,
      { version: 2, details: { name: "Again", phoneNumberId: moved } },
      200,
    );
    await fetch(`${SIM_URL}/_sim/faults?objectId=${moved}`, { method: "DELETE" });
  });

  it("a new access token must prove the same number; a refused one leaves the old token", async () => {
    const admin = await adminSession();
    const phoneNumberId = freshPhoneNumberId();
    const mine = await simAccount({ phoneNumberIds: [phoneNumberId] });
    const n = await createNumber(admin, {
      phoneNumberId,
      wabaId: mine.wabaId,
      accessToken: mine.token,
    });
    const path = `/api/admin/numbers/${n.id}/credentials`;
    const foreign = await simAccount({ phoneNumberIds: [freshPhoneNumberId()] });
    for (const token of [foreign.token, "EAAG-unknown-token-000000"]) {
      const res = await call(admin, "PUT", path, { version: 1, accessToken: token });
      expect(res.status).toBe(400);
      expect(await badFields(res)).toEqual(["accessToken"]);
    }
    expect(await stored(n.id)).toMatchObject({ access_token: mine.token, version: 1 });

    // A second token granted on the same WABA proves the number: it replaces the first.
    const second = await simAccount({ wabaId: mine.wabaId });
    const replaced = await callJson<NumberView>(
      admin,
      "PUT",
      path,
      { version: 1, accessToken: second.token },
      200,
    );
    expect(replaced.provedAt).toBeGreaterThanOrEqual(n.provedAt!);
    expect(await stored(n.id)).toMatchObject({ access_token: second.token, version: 2 });
  });
});

describe("a phone number id and a WABA belong to one tenant", () => {
  it("two tenants claiming one WABA at the same time: exactly one gets it", async () => {
    const [a, b] = await Promise.all([adminSession(), adminSession()]);
    const pa = freshPhoneNumberId();
    const pb = freshPhoneNumberId();
    // Both hold a token granted on the WABA (as when an agency manages it).
    const account = await simAccount({ phoneNumberIds: [pa, pb] });
    const [ra, rb] = await Promise.all([
      call(
        a,
        "POST",
        "/api/admin/numbers",
        newNumber({ phoneNumberId: pa, wabaId: account.wabaId, accessToken: account.token }),
      ),
      call(
        b,
        "POST",
        "/api/admin/numbers",
        newNumber({ phoneNumberId: pb, wabaId: account.wabaId, accessToken: account.token }),
      ),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([201, 409]);
    const loser = ra.status === 409 ? { res: ra, admin: a } : { res: rb, admin: b };
    const r = await refusalOf(loser.res);
    expect(r.code).toBe("already_managed");
    expect(r.fields.map((f) => f.path)).toEqual(["wabaId"]);
    expect(r.body.error.message).not.toMatch(/tenant/i);
    expect(await countRows("managed_numbers", loser.admin.tenantId)).toBe(0);
    const owners = await env.DB.prepare("SELECT tenant_id FROM waba_owners WHERE waba_id = ?")
      .bind(account.wabaId)
      .all<{ tenant_id: string }>();
    expect(owners.results).toEqual([{ tenant_id: (ra.status === 201 ? a : b).tenantId }]);
  });

  it("the migration gives each WABA to the tenant of its earliest number; unproved numbers keep working", async () => {
    const [a, b] = await Promise.all([adminSession(), adminSession()]);
    const waba = `4${Date.now()}`;
    const legacy = [
      { id: crypto.randomUUID(), tenant: b.tenantId, at: 2_000 },
      { id: crypto.randomUUID(), tenant: a.tenantId, at: 1_000 },
    ];
    for (const n of legacy) {
      await env.DB.prepare(
        `INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name, waba_id, created_at, settings)
         VALUES (?, ?, ?, '+1', 'Old', ?, ?, '{}')`,
      )
        .bind(n.id, n.tenant, freshPhoneNumberId(), waba, n.at)
        .run();
    }
    // The backfill statement of the migration that added waba_owners, as shipped.
    const migrations = env.TEST_MIGRATIONS as { name: string; queries: string[] }[];
    const backfill = migrations
      .find((m) => m.name.includes("number_claims"))!
      .queries.find((q) => q.includes("INSERT OR IGNORE INTO `waba_owners`"))!;
    await env.DB.prepare(backfill).run();
    const owner = await env.DB.prepare("SELECT tenant_id FROM waba_owners WHERE waba_id = ?")
      .bind(waba)
      .first("tenant_id");
    expect(owner).toBe(a.tenantId);

    // Unproved, the old numbers still take their customers' messages.
    const [old] = legacy;
    const row = await stored(old!.id);
    expect(row!.proved_at).toBeNull();
    const res = await postWebhook(
      textWebhook(row!.phone_number_id, [{ from: "393330009999", text: "still there?" }]),
    );
    expect(res.status).toBe(200);
    expect(await env.NUMBER.getByName(old!.id).conversations()).toHaveLength(1);
  });
});
