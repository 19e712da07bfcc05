/**
 * Templates end to end: drafts validated and stored in D1, submitted to the
 * real simulator over HTTP, reviewed there, and the signed status webhook
 * relayed to the Worker.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page, TemplateView, TenantSettingsView } from "../../src/shared/admin";
import { usableTemplates } from "../../src/worker/db/template-store";
import { readXlsxRows } from "../kit/files";
import { freshWabaId } from "../kit/ids";
import { deliverSigned, postWebhook, relaySimWaba, SIM_URL } from "../kit/meta";
import { templateStatusWebhook } from "../kit/meta-payloads";
import {
  adminSession,
  agentSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  type Session,
} from "../kit/session";
import { sim } from "../kit/simulator";
import { countRows } from "../kit/tenant";

async function addNumber(
  tenantId: string,
  opts: { wabaId?: string | null; token?: string | null } = {},
): Promise<{ id: string; wabaId: string | null }> {
  const id = crypto.randomUUID();
  const wabaId = opts.wabaId === undefined ? freshWabaId() : opts.wabaId;
  const phoneNumberId = String(100000000000000 + Math.floor(Math.random() * 899999999999));
  await env.DB.prepare(
    `INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name, waba_id, access_token)
     VALUES (?, ?, ?, '+1 555 010 0002', 'Sales line', ?, ?)`,
  )
    .bind(id, tenantId, phoneNumberId, wabaId, opts.token === undefined ? "test-token" : opts.token)
    .run();
  return { id, wabaId };
}

function draft(numberId: string, over: Record<string, unknown> = {}) {
  return {
    numberId,
    name: `order_ready_${crypto.randomUUID().slice(0, 8)}`,
    language: "en_US",
    category: "UTILITY",
    header: { text: "Order {{1}}", example: "#1234" },
    body: {
      text: "Hello {{1}}, your order {{2}} is ready for pickup.",
      examples: ["Maria", "#1234"],
    },
    footer: "Reply STOP to opt out",
    buttons: [{ type: "QUICK_REPLY", text: "Thanks" }],
    ...over,
  };
}

async function createTemplate(s: Session, body: unknown): Promise<TemplateView> {
  return callJson<TemplateView>(s, "POST", "/api/admin/templates", body, 201);
}

async function submit(s: Session, id: string): Promise<TemplateView> {
  return callJson<TemplateView>(s, "POST", `/api/admin/templates/${id}/submit`, undefined, 200);
}

async function templateById(s: Session, id: string): Promise<TemplateView> {
  return callJson<TemplateView>(s, "GET", `/api/admin/templates/${id}`, undefined, 200);
}

/** What Meta (the simulator) holds under a WABA. */
async function atMeta(wabaId: string, name: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${SIM_URL}/v23.0/${wabaId}/message_templates?name=${name}`, {
    headers: { Authorization: "Bearer test-token" },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Record<string, unknown>[] }).data;
}

async function review(metaId: string, event: string, reason?: string): Promise<void> {
  const res = await sim(`/_sim/templates/${metaId}/review`, { event, reason });
  expect(res.status).toBe(200);
}

let a: Session;
let b: Session;
let numberA: { id: string; wabaId: string | null };
let numberB: { id: string; wabaId: string | null };

beforeAll(async () => {
  a = await adminSession();
  b = await adminSession();
  numberA = await addNumber(a.tenantId);
  numberB = await addNumber(b.tenantId);
});

describe("template drafts", () => {
  it("refuses what Meta would refuse, naming each field, storing nothing", async () => {
    const before = await countRows("templates", a.tenantId);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "Order-Ready" }, "name"],
      [{ language: "english" }, "language"],
      [{ category: "TRANSACTIONAL" }, "category"],
      [{ body: { text: "Hi {{1}}, order {{2}} is ready.", examples: ["Maria"] } }, "body.examples"],
      [{ body: { text: "Hi {{1}}, order {{3}} is ready.", examples: ["a", "b"] } }, "body.text"],
      [{ body: { text: "{{1}} is ready.", examples: ["a"] } }, "body.text"],
      [{ header: { text: "Order {{1}}", example: null } }, "header.example"],
      [{ header: { text: "{{1}} and {{2}}", example: "x" } }, "header.text"],
      [{ footer: "Bye {{1}}" }, "footer"],
      [
        {
          buttons: ["A", "B", "C", "D"].map((text) => ({ type: "QUICK_REPLY", text })),
        },
        "buttons",
      ],
      [
        {
          buttons: [
            { type: "QUICK_REPLY", text: "Yes" },
            { type: "URL", text: "Site", url: "https://example.com" },
          ],
        },
        "buttons",
      ],
      [{ category: "AUTHENTICATION" }, "header"],
    ];
    for (const [over, path] of cases) {
      const res = await call(a, "POST", "/api/admin/templates", draft(numberA.id, over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(await badFields(res), JSON.stringify(over)).toContain(path);
    }
    expect(await countRows("templates", a.tenantId)).toBe(before);
  });

  it("needs a number of the tenant with a WABA id; another tenant's number is just unknown", async () => {
    const foreign = await call(a, "POST", "/api/admin/templates", draft(numberB.id));
    const madeUp = await call(a, "POST", "/api/admin/templates", draft(crypto.randomUUID()));
    expect(foreign.status).toBe(400);
    expect(madeUp.status).toBe(400);
    const foreignBody = (await foreign.json()) as ErrorBody;
    expect(foreignBody.error.fields).toEqual([
      { path: "numberId", message: "no such managed number" },
    ]);
    expect(foreignBody).toEqual(await madeUp.json());

    const bare = await addNumber(a.tenantId, { wabaId: null });
    const res = await call(a, "POST", "/api/admin/templates", draft(bare.id));
    expect(await badFields(res)).toEqual(["numberId"]);
    expect(await countRows("templates", b.tenantId)).toBe(0);
  });

  it("creates drafts, refuses a duplicate name+language with 409 on name, edits with versions", async () => {
    const body = draft(numberA.id);
    const t = await createTemplate(a, body);
    expect(t).toMatchObject({
      status: "draft",
      numberId: numberA.id,
      numberName: "Sales line",
      metaTemplateId: null,
      statusReason: null,
      version: 1,
      body: body.body,
      header: body.header,
      buttons: body.buttons,
    });
    const dup = await call(a, "POST", "/api/admin/templates", body);
    expect(dup.status).toBe(409);
    expect(await badFields(dup)).toEqual(["name"]);
    // Another language of the same name is another template.
    await createTemplate(a, { ...body, language: "it" });

    const edited = await callJson<TemplateView>(
      a,
      "PATCH",
      `/api/admin/templates/${t.id}`,
      { version: 1, footer: null, buttons: [] },
      200,
    );
    expect(edited).toMatchObject({ footer: null, buttons: [], header: body.header, version: 2 });
    const stale = await call(a, "PATCH", `/api/admin/templates/${t.id}`, {
      version: 1,
      footer: "x",
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as ErrorBody).error.code).toBe("conflict");
    const invalid = await call(a, "PATCH", `/api/admin/templates/${t.id}`, {
      version: 2,
      body: { text: "Hi {{1}} and {{2}}!", examples: ["x"] },
    });
    expect(await badFields(invalid)).toEqual(["body.examples"]);
    expect(await templateById(a, t.id)).toEqual(edited);
  });

  it("enforces the tenant's template limit, counting every template", async () => {
    const admin = await adminSession();
    const n = await addNumber(admin.tenantId);
    await env.DB.prepare("UPDATE tenants SET template_limit = 2 WHERE id = ?")
      .bind(admin.tenantId)
      .run();
    const first = await createTemplate(admin, draft(n.id));
    await createTemplate(admin, draft(n.id));
    const third = await call(admin, "POST", "/api/admin/templates", draft(n.id));
    expect(third.status).toBe(409);
    const err = (await third.json()) as ErrorBody;
    expect(err.error.code).toBe("template_limit");
    expect(err.error.message).toMatch(/limit of 2 templates/);
    expect(await countRows("templates", admin.tenantId)).toBe(2);
    const settings = await callJson<TenantSettingsView>(
      admin,
      "GET",
      "/api/admin/settings",
      undefined,
      200,
    );
    expect(settings).toMatchObject({ templateLimit: 2, templateCount: 2 });
    expect((await call(admin, "DELETE", `/api/admin/templates/${first.id}`)).status).toBe(204);
    await createTemplate(admin, draft(n.id));
  });
});

describe("Meta review", () => {
  it("submits to Meta, and the relayed status webhooks approve or reject with the reason", async () => {
    const body = draft(numberA.id);
    const t = await createTemplate(a, body);
    const pending = await submit(a, t.id);
    expect(pending).toMatchObject({ status: "pending", version: 2 });
    expect(pending.metaTemplateId).toMatch(/^\d+$/);

    // Meta received exactly the documented request.
    const [held] = await atMeta(numberA.wabaId!, body.name);
    expect(held).toMatchObject({
      id: pending.metaTemplateId,
      status: "PENDING",
      language: "en_US",
      category: "UTILITY",
      components: [
        {
          type: "HEADER",
          format: "TEXT",
          text: "Order {{1}}",
          example: { header_text: ["#1234"] },
        },
        {
          type: "BODY",
          text: body.body.text,
          example: { body_text: [["Maria", "#1234"]] },
        },
        { type: "FOOTER", text: "Reply STOP to opt out" },
        { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Thanks" }] },
      ],
    });

    // Pending templates cannot be edited or submitted again.
    const edit = await call(a, "PATCH", `/api/admin/templates/${t.id}`, {
      version: 2,
      footer: null,
    });
    expect(edit.status).toBe(409);
    expect(((await edit.json()) as ErrorBody).error.code).toBe("not_editable");
    expect((await call(a, "POST", `/api/admin/templates/${t.id}/submit`)).status).toBe(409);

    await review(pending.metaTemplateId!, "APPROVED");
    expect(await relaySimWaba(numberA.wabaId!)).toBe(1);
    const approved = await templateById(a, t.id);
    expect(approved).toMatchObject({ status: "approved", statusReason: null, version: 3 });
    expect((await usableTemplates(env.DB, a.tenantId, numberA.id)).map((u) => u.id)).toContain(
      t.id,
    );

    await review(pending.metaTemplateId!, "PAUSED", "LOW_QUALITY");
    await relaySimWaba(numberA.wabaId!);
    expect(await templateById(a, t.id)).toMatchObject({
      status: "paused",
      statusReason: "LOW_QUALITY",
    });
    expect((await usableTemplates(env.DB, a.tenantId, numberA.id)).map((u) => u.id)).not.toContain(
      t.id,
    );
  });

  it("a rejected template is edited back to a draft and resubmitted as an edit at Meta", async () => {
    const body = draft(numberA.id, { category: "MARKETING" });
    const t = await createTemplate(a, body);
    const pending = await submit(a, t.id);
    await review(pending.metaTemplateId!, "REJECTED", "INVALID_FORMAT");
    await relaySimWaba(numberA.wabaId!);
    const rejected = await templateById(a, t.id);
    expect(rejected).toMatchObject({ status: "rejected", statusReason: "INVALID_FORMAT" });

    const renamed = await call(a, "PATCH", `/api/admin/templates/${t.id}`, {
      version: rejected.version,
      name: "another_name",
    });
    expect(await badFields(renamed)).toEqual(["name"]);

    const fixed = await callJson<TemplateView>(
      a,
      "PATCH",
      `/api/admin/templates/${t.id}`,
      {
        version: rejected.version,
        body: {
          text: "Hello {{1}}, our sale ends on {{2}}. See you!",
          examples: ["Maria", "May 5"],
        },
      },
      200,
    );
    expect(fixed.status).toBe("draft");
    const again = await submit(a, t.id);
    expect(again).toMatchObject({ status: "pending", metaTemplateId: pending.metaTemplateId });
    const held = await atMeta(numberA.wabaId!, body.name);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ status: "PENDING" });
    expect(JSON.stringify(held[0]!.components)).toContain("our sale ends on {{2}}");
  });

  it("status webhooks are idempotent, tenant-safe by WABA, and unknown templates are acknowledged", async () => {
    const t = await createTemplate(a, draft(numberA.id));
    const { metaTemplateId } = await submit(a, t.id);
    await review(metaTemplateId!, "APPROVED");
    const res = await sim(`/_sim/outbox/drain?wabaId=${numberA.wabaId}`, {});
    const { items } = (await res.json()) as { items: { body: string; signature: string }[] };
    expect(items).toHaveLength(1);
    const deliver = () =>
      deliverSigned(items[0]!.body, items[0]!.signature).then((r) => expect(r.status).toBe(200));
    await deliver();
    const once = await templateById(a, t.id);
    expect(once).toMatchObject({ status: "approved", version: 3 });
    await deliver(); // Meta retries: nothing changes, not even the version
    expect(await templateById(a, t.id)).toEqual(once);

    // Tenant A's template id under tenant B's account: nothing happens.
    const forged = await postWebhook(
      templateStatusWebhook(numberB.wabaId!, metaTemplateId!, "DISABLED", "SCAM"),
    );
    expect(forged.status).toBe(200);
    expect(await templateById(a, t.id)).toEqual(once);

    // A template Meta knows but we do not: acknowledged.
    const unknown = await postWebhook(
      templateStatusWebhook(numberA.wabaId!, "1999999999999999", "APPROVED"),
    );
    expect(unknown.status).toBe(200);

    // FLAGGED keeps it usable but records the warning; REINSTATED clears it.
    await postWebhook(
      templateStatusWebhook(numberA.wabaId!, metaTemplateId!, "FLAGGED", "LOW_QUALITY"),
    );
    expect(await templateById(a, t.id)).toMatchObject({
      status: "approved",
      statusReason: "FLAGGED: LOW_QUALITY",
    });
    // A late PENDING (Meta does not order webhooks) does not undo the approval.
    await postWebhook(templateStatusWebhook(numberA.wabaId!, metaTemplateId!, "PENDING"));
    expect(await templateById(a, t.id)).toMatchObject({ status: "approved" });
    await postWebhook(templateStatusWebhook(numberA.wabaId!, metaTemplateId!, "DISABLED", "SCAM"));
    expect(await templateById(a, t.id)).toMatchObject({ status: "disabled", statusReason: "SCAM" });
    await postWebhook(templateStatusWebhook(numberA.wabaId!, metaTemplateId!, "REINSTATED"));
    expect(await templateById(a, t.id)).toMatchObject({ status: "approved", statusReason: null });
  });

  it("Meta's refusal is a 502 with Meta's message and changes nothing", async () => {
    // Two numbers of one account: our names are unique per number, Meta's per account.
    const shared = freshWabaId();
    const one = await addNumber(a.tenantId, { wabaId: shared });
    const two = await addNumber(a.tenantId, { wabaId: shared });
    const name = `shared_${crypto.randomUUID().slice(0, 8)}`;
    const first = await createTemplate(a, draft(one.id, { name }));
    const second = await createTemplate(a, draft(two.id, { name }));
    await submit(a, first.id);
    const res = await call(a, "POST", `/api/admin/templates/${second.id}/submit`);
    expect(res.status).toBe(502);
    const err = (await res.json()) as ErrorBody;
    expect(err.error.code).toBe("meta_error");
    expect(err.error.message).toContain("Content in this language already exists");
    expect(await templateById(a, second.id)).toEqual(second);

    const noToken = await addNumber(a.tenantId, { token: null });
    const orphan = await createTemplate(a, draft(noToken.id));
    const refused = await call(a, "POST", `/api/admin/templates/${orphan.id}/submit`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("number_not_connected");
  });

  it("deleting a submitted template deletes it at Meta first", async () => {
    const body = draft(numberA.id);
    const t = await createTemplate(a, body);
    await submit(a, t.id);
    expect(await atMeta(numberA.wabaId!, body.name)).toHaveLength(1);
    expect((await call(a, "DELETE", `/api/admin/templates/${t.id}`)).status).toBe(204);
    expect(await atMeta(numberA.wabaId!, body.name)).toHaveLength(0);
    expect((await call(a, "GET", `/api/admin/templates/${t.id}`)).status).toBe(404);

    // Already gone at Meta (deleted by hand): Meta refuses, but only our row was left.
    const gone = await createTemplate(a, draft(numberA.id));
    const { metaTemplateId } = await submit(a, gone.id);
    const del = await fetch(
      `${SIM_URL}/v23.0/${numberA.wabaId}/message_templates?name=${gone.name}&hsm_id=${metaTemplateId}`,
      { method: "DELETE", headers: { Authorization: "Bearer test-token" } },
    );
    expect(del.status).toBe(200);
    expect((await call(a, "DELETE", `/api/admin/templates/${gone.id}`)).status).toBe(204);
    expect((await call(a, "GET", `/api/admin/templates/${gone.id}`)).status).toBe(404);

    // Meta refuses (here: the token no longer works) and still holds it: 502, nothing deleted.
    const n = await addNumber(a.tenantId);
    const kept = await createTemplate(a, draft(n.id));
    await submit(a, kept.id);
    await env.DB.prepare("UPDATE managed_numbers SET access_token = ' ' WHERE id = ?")
      .bind(n.id)
      .run();
    const refused = await call(a, "DELETE", `/api/admin/templates/${kept.id}`);
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as ErrorBody).error.message).toMatch(/access token/i);
    expect((await call(a, "GET", `/api/admin/templates/${kept.id}`)).status).toBe(200);
    expect(await atMeta(n.wabaId!, kept.name)).toHaveLength(1);
  });
});

describe("template list and tenancy", () => {
  it("filters by status and number, searches, sorts, and exports exactly the filtered rows", async () => {
    const admin = await adminSession();
    const n1 = await addNumber(admin.tenantId);
    const n2 = await addNumber(admin.tenantId);
    const alpha = await createTemplate(admin, draft(n1.id, { name: "alpha_notice" }));
    await createTemplate(admin, draft(n1.id, { name: "beta_notice" }));
    await createTemplate(admin, draft(n2.id, { name: "gamma_reminder" }));
    const { metaTemplateId } = await submit(admin, alpha.id);
    await review(metaTemplateId!, "APPROVED");
    await relaySimWaba(n1.wabaId!);

    const drafts = await callJson<Page<TemplateView>>(
      admin,
      "GET",
      "/api/admin/templates?status=draft&sort=name&dir=desc",
      undefined,
      200,
    );
    expect(drafts.items.map((t) => t.name)).toEqual(["gamma_reminder", "beta_notice"]);
    const onN1 = await callJson<Page<TemplateView>>(
      admin,
      "GET",
      `/api/admin/templates?numberId=${n1.id}&q=notice`,
      undefined,
      200,
    );
    expect(onN1.items.map((t) => t.name)).toEqual(["alpha_notice", "beta_notice"]);

    const sheet = await readXlsxRows(
      await (
        await call(admin, "GET", "/api/admin/templates/export.xlsx?status=approved")
      ).arrayBuffer(),
    );
    expect(sheet).toHaveLength(2);
    expect(sheet[0]!.slice(0, 4)).toEqual(["Name", "Language", "Category", "Status"]);
    expect(sheet[1]!.slice(0, 4)).toEqual(["alpha_notice", "en_US", "UTILITY", "approved"]);

    const bad = await call(admin, "GET", "/api/admin/templates?status=live");
    expect(await badFields(bad)).toEqual(["status"]);
    const badSort = await call(admin, "GET", "/api/admin/templates?sort=body");
    expect(await badFields(badSort)).toEqual(["sort"]);
  });

  it("another tenant's template ids and numbers are 404 or invisible; agents get 403", async () => {
    const t = await createTemplate(a, draft(numberA.id));
    const path = `/api/admin/templates/${t.id}`;
    expect((await call(b, "GET", path)).status).toBe(404);
    expect((await call(b, "PATCH", path, { version: 1, footer: null })).status).toBe(404);
    expect((await call(b, "POST", `${path}/submit`)).status).toBe(404);
    expect((await call(b, "DELETE", path)).status).toBe(404);
    const bList = await callJson<Page<TemplateView>>(
      b,
      "GET",
      `/api/admin/templates?numberId=${numberA.id}`,
      undefined,
      200,
    );
    expect(bList.total).toBe(0);
    expect(await usableTemplates(env.DB, b.tenantId, numberA.id)).toEqual([]);
    expect(await templateById(a, t.id)).toEqual(t);

    const agent = await agentSession(a.tenantId);
    expect((await call(agent, "GET", "/api/admin/templates")).status).toBe(403);
    expect((await call(agent, "GET", path)).status).toBe(403);
    expect((await call(agent, "POST", "/api/admin/templates", draft(numberA.id))).status).toBe(403);
    expect((await call(agent, "POST", `${path}/submit`)).status).toBe(403);
    expect((await call(agent, "DELETE", path)).status).toBe(403);
    expect(await templateById(a, t.id)).toEqual(t);
  });
});

describe("the simulator's template API validates like Meta", () => {
  const wabaId = freshWabaId();
  async function post(path: string, body: unknown, token = "test-token") {
    const res = await fetch(`${SIM_URL}/v23.0/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error?: Record<string, unknown> } };
  }
  const valid = {
    name: "sim_check",
    language: "en_US",
    category: "MARKETING",
    components: [{ type: "BODY", text: "Hi {{1}}!", example: { body_text: [["Ann"]] } }],
  };

  it("refuses bad names, categories, missing bodies and missing examples with code 100", async () => {
    const cases: [unknown, string][] = [
      [{ ...valid, name: "Bad Name" }, "Invalid template name"],
      [{ ...valid, category: "TRANSACTIONAL" }, "Invalid category"],
      [{ ...valid, components: [{ type: "FOOTER", text: "x" }] }, "Missing body"],
      [{ ...valid, components: [{ type: "BODY", text: "Hi {{1}}!" }] }, "Missing sample values"],
      [
        {
          ...valid,
          components: [
            { type: "BODY", text: "Hi {{1}}!", example: { body_text: [["Ann"]] } },
            { type: "BUTTONS", buttons: [{ type: "URL", text: "x", url: "ftp://x" }] },
          ],
        },
        "Invalid buttons",
      ],
      [{ ...valid, category: "AUTHENTICATION" }, "Invalid body"],
    ];
    for (const [body, title] of cases) {
      const r = await post(`${wabaId}/message_templates`, body);
      expect(r.status, title).toBe(400);
      expect(r.body.error).toMatchObject({ code: 100, error_user_title: title });
    }
    expect(await atMeta(wabaId, "sim_check")).toEqual([]);
  });

  it("requires a token, reviews only known templates, and edits only decided ones", async () => {
    expect((await post(`${wabaId}/message_templates`, valid, "")).status).toBe(401);
    const created = await post(`${wabaId}/message_templates`, valid);
    expect(created.body).toMatchObject({ status: "PENDING", category: "MARKETING" });
    const id = (created.body as { id: string }).id;
    expect(Number(id)).toBeLessThan(Number.MAX_SAFE_INTEGER);
    const edit = await post(id, { components: valid.components });
    expect(edit.status).toBe(400); // still PENDING
    expect((await sim("/_sim/templates/1/review", { event: "APPROVED" })).status).toBe(404);
    expect((await sim(`/_sim/templates/${id}/review`, { event: "MAYBE" })).status).toBe(400);
    await review(id, "REJECTED", "PROMOTIONAL");
    expect(await atMeta(wabaId, "sim_check")).toMatchObject([
      { status: "REJECTED", rejected_reason: "PROMOTIONAL" },
    ]);
    expect((await post(id, { components: valid.components })).body).toEqual({ success: true });
    expect(await relaySimWaba(wabaId)).toBe(1); // the review's webhook, acknowledged though unknown
  });
});
