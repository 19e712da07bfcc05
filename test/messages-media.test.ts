/**
 * The message area's server side, through the real Worker, actors, D1 and R2
 * and the real Meta simulator: inbound media fetched into R2 and served only
 * to the tenant's users; Meta failures retried; redelivered webhooks fetched
 * once; paging back through a long history; search inside a conversation;
 * replies, reactions and tick times in the message views.
 */

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_MEDIA_ATTEMPTS, mediaJobs } from "../src/durable/conversation/media-fetch";
import { ActorDb } from "../src/durable/sql";
import type { InboundMessage } from "../src/meta/webhook-payload";
import { advanceClock, resetClock } from "../src/platform/clock";
import type { MessageView } from "../src/shared/protocol";
import { acceptedConversation, conversationRead } from "./kit/conversation";
import { phone } from "./kit/ids";
import { customerSends, relaySim, SIM_URL } from "./kit/meta";
import { BASE, loginAs } from "./kit/session";
import { sim, simMedia } from "./kit/simulator";
import { type SeededTenant, seedTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (ch) => ch.charCodeAt(0),
);

function getAs(path: string, cookie?: string, headers: Record<string, string> = {}) {
  return exports.default.fetch(`${BASE}${path}`, {
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers },
  });
}

async function messageByWamid(t: SeededTenant, conversationId: string, wamid: string) {
  const rows = await runInDurableObject(env.CONVERSATION.getByName(conversationId), (_i, state) =>
    state.storage.sql
      .exec<{ id: string }>("SELECT id FROM messages WHERE wamid = ?", wamid)
      .toArray(),
  );
  const id = rows[0]?.id;
  const read = await conversationRead(t.tenantId, conversationId);
  return read.messages.find((m) => m.id === id) ?? null;
}

let t: SeededTenant;
let agentCookie: string;

beforeEach(async () => {
  await fetch(`${SIM_URL}/_sim/faults`, { method: "DELETE" });
  t = await seedTenant({
    skillsets: { General: 5 },
    agents: [{ id: "ada", name: "Ada", skills: { General: 5 } }],
  });
  agentCookie = await loginAs(t.agents[0]!);
});

describe("inbound media", () => {
  it("is fetched from Meta into R2 and served to the tenant's users only", async () => {
    const { conversationId, customer } = await acceptedConversation(t, t.agents[0]!, phone());
    const metaId = await simMedia(PNG, "image/png");
    const wamid = await customerSends(t, customer, {
      type: "image",
      image: { id: metaId, mime_type: "image/png", caption: "Lo scontrino" },
    });

    const stored = await eventually(async () => {
      const m = await messageByWamid(t, conversationId, wamid);
      return m?.content?.type === "media" && m.content.mediaId ? m.content : null;
    });
    expect(stored).toMatchObject({ kind: "image", mime: "image/png", caption: "Lo scontrino" });
    if (stored.type !== "media") throw new Error("not media");
    expect(stored.size).toBe(PNG.byteLength);

    const object = await env.MEDIA.get(`${t.tenantId}/${stored.mediaId}`);
    expect(object?.customMetadata).toMatchObject({ conversationId, source: "inbound" });
    await object?.body.cancel();

    const res = await getAs(`/api/media/${stored.mediaId}`, agentCookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    // Sandboxed, and (like every answer) never framed.
    expect(res.headers.get("Content-Security-Policy")).toBe("sandbox; frame-ancestors 'none'");
    expect(res.headers.get("Content-Disposition")).toMatch(/^inline/);
    expect(res.headers.get("Cache-Control")).toBe("private, max-age=86400");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);

    const part = await getAs(`/api/media/${stored.mediaId}`, agentCookie, { Range: "bytes=1-3" });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe(`bytes 1-3/${PNG.byteLength}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(PNG.slice(1, 4));

    // Another tenant's agent, nobody, and a malformed id.
    const other = await seedTenant({
      skillsets: { General: 5 },
      agents: [{ id: "eve", name: "Eve", skills: { General: 5 } }],
    });
    const eve = await loginAs(other.agents[0]!);
    const foreign = await getAs(`/api/media/${stored.mediaId}`, eve);
    expect(foreign.status).toBe(404);
    await foreign.body?.cancel();
    const anonymous = await getAs(`/api/media/${stored.mediaId}`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    const bad = await getAs("/api/media/not-a-uuid", agentCookie);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("mediaId");
  });

  it("is served to isolated agents only for their skillsets' conversations", async () => {
    const team = await seedTenant({
      skillsets: { General: 5, Sales: 5 },
      agents: [
        { id: "ada", name: "Ada", skills: { General: 5 } },
        { id: "gil", name: "Gil", skills: { General: 5 } },
        { id: "iris", name: "Iris", skills: { Sales: 5 } },
      ],
    });
    const [ada, gil, iris] = team.agents as [string, string, string];
    await env.DB.prepare("UPDATE users SET isolated = 1 WHERE id IN (?, ?)").bind(gil, iris).run();
    const { conversationId, customer } = await acceptedConversation(team, ada, phone());
    const metaId = await simMedia(PNG, "image/png");
    const wamid = await customerSends(team, customer, {
      type: "image",
      image: { id: metaId, mime_type: "image/png" },
    });
    const mediaId = await eventually(async () => {
      const m = await messageByWamid(team, conversationId, wamid);
      return m?.content?.type === "media" ? m.content.mediaId : null;
    });

    const inSkillset = await getAs(`/api/media/${mediaId}`, await loginAs(gil));
    expect(inSkillset.status).toBe(200);
    await inSkillset.body?.cancel();
    const outside = await getAs(`/api/media/${mediaId}`, await loginAs(iris));
    expect(outside.status).toBe(404);
    await outside.body?.cancel();
  });

  it("retries Meta's transient failures until the file arrives, and fetches a redelivered one once", async () => {
    const { conversationId, customer } = await acceptedConversation(t, t.agents[0]!, phone());
    const pdf = new TextEncoder().encode("%PDF-1.4 fattura");
    const metaId = await simMedia(pdf, "application/pdf");
    // The next two Graph calls (the lookup, then its retry) fail with a retryable 500.
    await sim("/_sim/faults", { count: 2, httpStatus: 500, code: 131000 });
    const raw = {
      type: "document",
      document: { id: metaId, mime_type: "application/pdf", filename: "fattura 12.pdf" },
    };
    const wamid = await customerSends(t, customer, raw);
    const content = await eventually(async () => {
      const m = await messageByWamid(t, conversationId, wamid);
      return m?.content?.type === "media" && m.content.mediaId ? m.content : null;
    }, 10_000);
    const jobs = await runInDurableObject(env.CONVERSATION.getByName(conversationId), (_i, s) =>
      mediaJobs(new ActorDb(s.storage.sql)),
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: "done", attempts: 3 });

    // The same wamid again (Meta redelivers): no second message, job or object.
    await sim("/_sim/inbound", {
      from: customer,
      phoneNumberId: t.phoneNumberId,
      id: wamid,
      message: raw,
    });
    await relaySim(t.phoneNumberId);
    const listed = await env.MEDIA.list({ prefix: `${t.tenantId}/` });
    expect(listed.objects).toHaveLength(1);
    const read = await conversationRead(t.tenantId, conversationId);
    expect(read.messages.filter((m) => m.kind === "document")).toHaveLength(1);

    if (content.type !== "media") throw new Error("not media");
    const res = await getAs(`/api/media/${content.mediaId}`, agentCookie);
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="fattura 12.pdf"; filename*=UTF-8''fattura%2012.pdf`,
    );
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe("%PDF-1.4 fattura");
  });

  it("marks a file Meta refuses as failed, without retrying", async () => {
    const { conversationId, customer } = await acceptedConversation(t, t.agents[0]!, phone());
    await sim("/_sim/faults", { count: 1, httpStatus: 400, code: 100 });
    const wamid = await customerSends(t, customer, {
      type: "audio",
      audio: { id: "999999", mime_type: "audio/ogg; codecs=opus", voice: true },
    });
    const content = await eventually(async () => {
      const m = await messageByWamid(t, conversationId, wamid);
      return m?.content?.type === "media" && m.content.failed ? m.content : null;
    });
    expect(content).toMatchObject({ kind: "voice", mediaId: null, failed: true });
    const jobs = await runInDurableObject(env.CONVERSATION.getByName(conversationId), (_i, s) =>
      mediaJobs(new ActorDb(s.storage.sql)),
    );
    expect(jobs[0]).toMatchObject({ state: "failed", attempts: 1 });
  });
});

/** How often the simulator served a file's bytes and its redirect. */
async function simMediaHits(metaId: string): Promise<{ downloads: number; redirects: number }> {
  return (await (await fetch(`${SIM_URL}/_sim/media/${metaId}`)).json()) as {
    downloads: number;
    redirects: number;
  };
}

/** Runs the conversation's alarm, an hour later each time, until its media job ends. */
async function mediaJobEnds(conversationId: string) {
  const stub = env.CONVERSATION.getByName(conversationId);
  for (let i = 0; i < 20; i++) {
    const [job] = await runInDurableObject(stub, (_i, s) => mediaJobs(new ActorDb(s.storage.sql)));
    if (job && job.state !== "queued") return job;
    advanceClock(60 * 60 * 1000);
    await runDurableObjectAlarm(stub);
  }
  throw new Error("the media job never ended");
}

describe("media hosts", () => {
  afterEach(() => resetClock());

  it("a download URL on a host that is not Meta's is never fetched; after its retries the message says the file could not be downloaded", async () => {
    const { conversationId, customer } = await acceptedConversation(t, t.agents[0]!, phone());
    // Graph's lookup points at the simulator under another name (localhost), not allowed.
    const metaId = await simMedia(PNG, "image/png", { url: "other-host" });
    const wamid = await customerSends(t, customer, {
      type: "image",
      image: { id: metaId, mime_type: "image/png" },
    });
    const job = await mediaJobEnds(conversationId);
    expect(job).toMatchObject({ state: "failed", attempts: MAX_MEDIA_ATTEMPTS });
    expect(job.error).toMatch(/host not allowed: localhost/);
    expect(await simMediaHits(metaId)).toMatchObject({ downloads: 0, redirects: 0 });
    const shown = await messageByWamid(t, conversationId, wamid);
    expect(shown?.content).toMatchObject({
      type: "media",
      kind: "image",
      failed: true,
      mediaId: null,
    });
  });

  it("a download that gets no answer gives up at its deadline (MEDIA_TIMEOUT_MS, 3 s here) and is retried", async () => {
    const { conversationId, customer } = await acceptedConversation(t, t.agents[0]!, phone());
    const metaId = await simMedia(PNG, "image/png", { url: "stall" });
    await customerSends(t, customer, {
      type: "image",
      image: { id: metaId, mime_type: "image/png" },
    });
    const stub = env.CONVERSATION.getByName(conversationId);
    const job = await eventually(async () => {
      const [first] = await runInDurableObject(stub, (_i, s) =>
        mediaJobs(new ActorDb(s.storage.sql)),
      );
      return first?.error ? first : null;
    }, 10_000);
    expect(job).toMatchObject({
      state: "queued",
      attempts: 1,
      error: "media fetch: no answer in time",
    });
    expect((await simMediaHits(metaId)).downloads).toBe(1);
  });

  it("a redirect to another host is not followed; a redirect on Meta's host is", async () => {
    const { conversationId, customer } = await acceptedConversation(t, t.agents[0]!, phone());
    const away = await simMedia(PNG, "image/png", { url: "redirect-other-host" });
    await customerSends(t, customer, {
      type: "image",
      image: { id: away, mime_type: "image/png" },
    });
    const job = await mediaJobEnds(conversationId);
    expect(job).toMatchObject({ state: "failed", attempts: MAX_MEDIA_ATTEMPTS });
    expect(job.error).toMatch(/host not allowed: localhost/);
    // Every attempt asked the allowed host, which redirected; the other host never saw a request.
    expect(await simMediaHits(away)).toMatchObject({ downloads: 0, redirects: MAX_MEDIA_ATTEMPTS });

    const other = await acceptedConversation(t, t.agents[0]!, phone());
    const here = await simMedia(PNG, "image/png", { url: "redirect" });
    const wamid = await customerSends(t, other.customer, {
      type: "image",
      image: { id: here, mime_type: "image/png" },
    });
    const stored = await eventually(async () => {
      const m = await messageByWamid(t, other.conversationId, wamid);
      return m?.content?.type === "media" && m.content.mediaId ? m.content : null;
    });
    expect(stored).toMatchObject({ kind: "image", failed: false });
    expect(await simMediaHits(here)).toMatchObject({ downloads: 1, redirects: 1 });
  });
});

describe("message views", () => {
  it("resolve replies and reactions to our messages, and carry the ticks' times", async () => {
    const { conversationId, customer } = await acceptedConversation(
      t,
      t.agents[0]!,
      phone(),
      "Primo messaggio",
    );
    const read = await conversationRead(t.tenantId, conversationId);
    const first = read.messages.find((m) => m.text === "Primo messaggio")!;
    const firstWamid = (
      await runInDurableObject(env.CONVERSATION.getByName(conversationId), (_i, s) =>
        s.storage.sql
          .exec<{ wamid: string }>("SELECT wamid FROM messages WHERE id = ?", first.id)
          .one(),
      )
    ).wamid;

    const replyWamid = await customerSends(t, customer, {
      type: "text",
      text: { body: "Come dicevo" },
      context: { from: customer, id: firstWamid },
    });
    const reactionWamid = await customerSends(t, customer, {
      type: "reaction",
      reaction: { message_id: firstWamid, emoji: "👍" },
    });
    const reply = await messageByWamid(t, conversationId, replyWamid);
    expect(reply?.replyTo).toEqual({ id: first.id, excerpt: "Primo messaggio", direction: "in" });
    const reaction = await messageByWamid(t, conversationId, reactionWamid);
    expect(reaction?.content).toEqual({ type: "reaction", emoji: "👍", targetId: first.id });

    const sent = await exports.default.fetch(
      `${BASE}/api/conversations/${conversationId}/messages`,
      {
        method: "POST",
        headers: { Cookie: agentCookie, "Content-Type": "application/json" },
        body: JSON.stringify({ clientId: crypto.randomUUID(), text: "Certo" }),
      },
    );
    const mine = (await sent.json()) as MessageView;
    const withTimes = await eventually(async () => {
      await relaySim(t.phoneNumberId);
      const m = (await conversationRead(t.tenantId, conversationId)).messages.find(
        (x) => x.id === mine.id,
      );
      return m?.statusTimes.delivered ? m : null;
    });
    expect(withTimes.statusTimes.sent).toBeLessThanOrEqual(withTimes.statusTimes.delivered!);
  });
});

/** Stores `count` customer texts straight through the actor's inbound path. */
async function appendTexts(conversationId: string, texts: string[]): Promise<void> {
  const base = Date.now() - texts.length * 1000;
  const messages: InboundMessage[] = texts.map((text, i) => ({
    id: `wamid.paging.${conversationId}.${i}`,
    from: null,
    fromUserId: null,
    timestampMs: base + i * 1000,
    type: "text",
    originalType: "text",
    text,
    payload: { body: text },
    context: null,
    referral: null,
    errors: [],
  }));
  await env.CONVERSATION.getByName(conversationId).appendInbound(null, messages);
}

describe("paging and search", () => {
  it("pages back through a long history and finds messages, escaping % and _", async () => {
    const { conversationId } = await acceptedConversation(t, t.agents[0]!, phone(), "Messaggio 0");
    const texts = Array.from({ length: 115 }, (_, i) => `Messaggio ${i + 1}`);
    texts.push("Sconto del 50% oggi", "Sconto del 50 euro", "codice a_b", "codice axb");
    await appendTexts(conversationId, texts);
    const all = (await conversationRead(t.tenantId, conversationId)).messages;
    expect(all.length).toBeGreaterThanOrEqual(120);
    const base = `/api/conversations/${conversationId}`;

    const latest = (await (await getAs(`${base}?limit=50`, agentCookie)).json()) as {
      messages: MessageView[];
      hasMore: boolean;
    };
    expect(latest.messages).toHaveLength(50);
    expect(latest.hasMore).toBe(true);
    expect(latest.messages.at(-1)!.text).toBe("codice axb");
    let oldest = latest.messages[0]!.seq;
    const seen = [...latest.messages];
    for (;;) {
      const page = (await (
        await getAs(`${base}/messages?before=${oldest}&limit=50`, agentCookie)
      ).json()) as { messages: MessageView[]; hasMore: boolean };
      seen.unshift(...page.messages);
      if (!page.hasMore) break;
      oldest = page.messages[0]!.seq;
    }
    expect(seen.map((m) => m.id)).toEqual(all.map((m) => m.id));

    // `after` alone still returns everything after it.
    const after = (await (
      await getAs(`${base}/messages?after=${all[9]!.seq}`, agentCookie)
    ).json()) as {
      messages: MessageView[];
    };
    expect(after.messages).toHaveLength(all.length - 10);
    const bad = await getAs(`${base}/messages?before=0`, agentCookie);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("before");

    const search = async (q: string, cookie = agentCookie) =>
      getAs(`${base}/messages/search?q=${encodeURIComponent(q)}`, cookie);
    const pct = (await (await search("50%")).json()) as { messages: MessageView[] };
    expect(pct.messages.map((m) => m.text)).toEqual(["Sconto del 50% oggi"]);
    const under = (await (await search("A_B")).json()) as { messages: MessageView[] };
    expect(under.messages.map((m) => m.text)).toEqual(["codice a_b"]);
    const many = (await (await search("messaggio 1")).json()) as { messages: MessageView[] };
    expect(many.messages[0]!.text).toBe("Messaggio 115");
    expect(many.messages.length).toBeGreaterThan(10);
    const empty = await search("   ");
    expect(empty.status).toBe(400);
    expect(JSON.stringify(await empty.json())).toContain("q");

    // Another tenant's agent cannot read or search it.
    const other = await seedTenant({
      skillsets: { General: 5 },
      agents: [{ id: "eve", name: "Eve", skills: { General: 5 } }],
    });
    const eve = await loginAs(other.agents[0]!);
    expect((await search("Sconto", eve)).status).toBe(404);
    expect((await getAs(`${base}/messages?before=50`, eve)).status).toBe(404);
    const stub = env.CONVERSATION.getByName(conversationId);
    expect(await stub.search(other.tenantId, "Sconto", 10)).toBeNull();
    expect(await stub.page(other.tenantId, { after: 0, limit: 10 })).toBeNull();
  });
});
