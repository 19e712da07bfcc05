import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NumberActor } from "../src/durable/number/actor";
import { advanceClock, resetClock } from "../src/platform/clock";
import { signBody } from "../src/platform/crypto";
import { MAX_WEBHOOK_BYTES } from "../src/worker/inbound/meta-webhook";
import { postWebhook } from "./kit/meta";
import { statusWebhook, textWebhook } from "./kit/meta-payloads";
import { seedTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

const url = "https://parley.test/webhooks/whatsapp";

describe("GET /webhooks/whatsapp (subscribe handshake)", () => {
  it("echoes hub.challenge as plain text when mode and token match", async () => {
    const res = await exports.default.fetch(
      `${url}?hub.mode=subscribe&hub.verify_token=dev-verify-token&hub.challenge=1158201444`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("1158201444");
  });

  it.each([
    ["a wrong token", "hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1"],
    ["a wrong mode", "hub.mode=unsubscribe&hub.verify_token=dev-verify-token&hub.challenge=1"],
    ["no parameters", ""],
  ])("answers 403 for %s", async (_name, qs) => {
    const res = await exports.default.fetch(`${url}?${qs}`);
    expect(res.status).toBe(403);
  });
});

describe("POST /webhooks/whatsapp", () => {
  it("verifies the signature over the raw bytes, including Meta's escaped unicode", async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    // Meta escapes non-ASCII as \uXXXX; the signature covers those exact bytes.
    const raw = JSON.stringify(
      textWebhook(t.phoneNumberId, [{ from: "393330000001", text: "äöå" }]),
    ).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const res = await postWebhook(raw);
    expect(res.status).toBe(200);
    const queue = await env.NUMBER.getByName(t.numberId).conversations();
    expect(queue).toHaveLength(1);
  });

  it("rejects a missing or wrong signature with 401 and stores nothing", async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    const body = JSON.stringify(
      textWebhook(t.phoneNumberId, [{ from: "393330000002", text: "hi" }]),
    );
    const unsigned = await exports.default.fetch(url, { method: "POST", body });
    expect(unsigned.status).toBe(401);
    const wrong = await exports.default.fetch(url, {
      method: "POST",
      body,
      headers: {
        "X-Hub-Signature-256": await signBody("another-secret", new TextEncoder().encode(body)),
      },
    });
    expect(wrong.status).toBe(401);
    const garbage = await exports.default.fetch(url, {
      method: "POST",
      body,
      headers: { "X-Hub-Signature-256": "sha256=zz" },
    });
    expect(garbage.status).toBe(401);
    expect(await env.NUMBER.getByName(t.numberId).conversations()).toHaveLength(0);
  });

  it("answers 413 to bodies over 3 MB", async () => {
    const big = "x".repeat(MAX_WEBHOOK_BYTES + 1);
    const res = await postWebhook(big);
    expect(res.status).toBe(413);
  });

  it("acknowledges an unknown phone_number_id with 200", async () => {
    const res = await postWebhook(
      textWebhook("999999999999999", [{ from: "393330000003", text: "hi" }]),
    );
    expect(res.status).toBe(200);
  });

  it("acknowledges a signed body that is odd (unknown types, bad items) with 200", async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    const payload = textWebhook(t.phoneNumberId, [{ from: "393330000004", text: "ok" }]) as {
      entry: { changes: { value: { messages: unknown[] } }[] }[];
    };
    const value = payload.entry[0]!.changes[0]!.value;
    value.messages.push(
      {
        from: "393330000004",
        id: "wamid.future",
        timestamp: "1700000000",
        type: "hologram",
        hologram: {},
      },
      { from: "393330000004", timestamp: "1700000000", type: "text" },
    );
    const res = await postWebhook(payload);
    expect(res.status).toBe(200);
    const [conversation] = await env.NUMBER.getByName(t.numberId).conversations();
    const read = await env.CONVERSATION.getByName(conversation!.id).read(t.tenantId);
    expect(read!.messages.map((m) => m.kind)).toEqual(["text", "unsupported"]);
  });

  it("deduplicates retried and duplicated deliveries by message id", async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    const payload = textWebhook(t.phoneNumberId, [
      { from: "393330000005", id: "wamid.dup-1", text: "first" },
      { from: "393330000005", id: "wamid.dup-1", text: "first" },
      { from: "393330000005", id: "wamid.dup-2", text: "second" },
    ]);
    expect((await postWebhook(payload)).status).toBe(200);
    expect((await postWebhook(payload)).status).toBe(200);
    const queue = await env.NUMBER.getByName(t.numberId).conversations();
    expect(queue).toHaveLength(1);
    const read = await env.CONVERSATION.getByName(queue[0]!.id).read(t.tenantId);
    expect(read!.messages.map((m) => m.text)).toEqual(["first", "second"]);
  });

  it("creates the customer from Meta's profile name", async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    await postWebhook(
      textWebhook(t.phoneNumberId, [{ from: "393330000006", text: "hi", name: "Giulia" }]),
    );
    const row = await env.DB.prepare(
      "SELECT name, phone FROM customers WHERE tenant_id = ? AND contact_key = ?",
    )
      .bind(t.tenantId, "393330000006")
      .first();
    expect(row).toEqual({ name: "Giulia", phone: "+393330000006" });
  });

  it("ignores statuses for messages it never sent", async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    const res = await postWebhook(
      statusWebhook(t.phoneNumberId, [{ id: "wamid.unknown", status: "read" }]),
    );
    expect(res.status).toBe(200);
  });

  it("acknowledges a 1000-update batch spread over entries and changes once kept, then stores each message once, in order", {
    timeout: 60_000,
  }, async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    const body = thousandMessages(t.phoneNumberId);
    const res = await postWebhook(body);
    expect(res.status).toBe(200);
    // Meta's retry of the same batch (its answer lost) keeps nothing new.
    expect((await postWebhook(body)).status).toBe(200);
    await eventually(async () => (await keptCount(t.numberId)) === 0, 30_000);
    const stored = await storedTexts(t);
    expect(stored.size).toBe(100);
    expect([...stored.values()].every((texts) => texts.length === 10)).toBe(true);
    // Each customer's ten messages, once each and in the order Meta sent them.
    for (const texts of stored.values()) {
      expect(texts).toEqual([...texts].sort(byPosition));
    }
  });

  it("a number stopped while routing a kept batch resumes from its alarm: nothing lost, nothing twice", {
    timeout: 60_000,
  }, async () => {
    const t = await seedTenant({ skillsets: { a: 5 }, agents: [] });
    const stub = env.NUMBER.getByName(t.numberId);
    expect((await postWebhook(thousandMessages(t.phoneNumberId))).status).toBe(200);
    // Kept before the answer: the batch is in the number's storage.
    expect(await keptCount(t.numberId)).toBeGreaterThan(0);
    await evictDurableObject(stub);
    // The alarm, when due (armed before the answer), routes what is left.
    advanceClock(60_000);
    try {
      await eventually(async () => {
        await runDurableObjectAlarm(stub);
        return (await keptCount(t.numberId)) === 0;
      }, 30_000);
    } finally {
      resetClock();
    }
    const stored = await storedTexts(t);
    expect(stored.size).toBe(100);
    expect([...stored.values()].flat()).toHaveLength(1000);
  });
});

/** 4 entries x 5 changes x 50 messages = 1000 updates from 100 customers, ten each. */
function thousandMessages(phoneNumberId: string) {
  const entries = Array.from({ length: 4 }, (_, e) => {
    const changes = Array.from({ length: 5 }, (_, c) => {
      const messages = Array.from({ length: 50 }, (_, m) => ({
        from: `3934${String(((e * 5 + c) * 50 + m) % 100).padStart(8, "0")}`,
        text: `${String((e * 5 + c) * 50 + m).padStart(4, "0")}`,
      }));
      return (textWebhook(phoneNumberId, messages) as { entry: { changes: unknown[] }[] }).entry[0]!
        .changes[0];
    });
    return { id: "200000000000001", changes };
  });
  return { object: "whatsapp_business_account", entry: entries };
}

const byPosition = (a: string, b: string) => a.localeCompare(b);

/** Each conversation's message texts, oldest first, by conversation id. */
async function storedTexts(t: { tenantId: string; numberId: string }) {
  const texts = new Map<string, string[]>();
  for (const c of await env.NUMBER.getByName(t.numberId).conversations()) {
    const read = await env.CONVERSATION.getByName(c.id).read(t.tenantId);
    texts.set(
      c.id,
      read!.messages.map((m) => m.text),
    );
  }
  return texts;
}

/** Messages the number keeps to route later. */
async function keptCount(numberId: string): Promise<number> {
  return runInDurableObject(env.NUMBER.getByName(numberId), (_n: NumberActor, state) =>
    Number(state.storage.sql.exec("SELECT count(*) AS n FROM held_inbound").one().n),
  );
}
