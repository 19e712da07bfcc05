/**
 * The conversation actor's alarm runs each of its duties on its own: one that
 * throws (here, settings corrupted in storage break the timers) does not keep
 * the outbox or the media downloads from running, and the alarm is armed
 * again. Items that keep failing end failed after their retries and say so:
 * an unreadable outbox row on its message, the e-mail on close as a note in
 * the conversation (and so in the customer's history).
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentActor } from "../src/durable/agent/actor";
import type { ConversationActor } from "../src/durable/conversation/actor";
import { mediaJobs } from "../src/durable/conversation/media-fetch";
import { MAX_SEND_ATTEMPTS } from "../src/durable/conversation/outbox";
import { ActorDb } from "../src/durable/sql";
import { advanceClock, resetClock } from "../src/platform/clock";
import { NOT_PREPARED_ERROR } from "../src/shared/protocol";
import { acceptedConversation, conversationRead } from "./kit/conversation";
import { phone, uid } from "./kit/ids";
import { refuseMailTo } from "./kit/mail";
import { customerSends, customerWrites, relaySim } from "./kit/meta";
import { meterCounts } from "./kit/session";
import { phoneReceived, sim, simMedia } from "./kit/simulator";
import { seedTenant, setSettings } from "./kit/tenant";
import { eventually } from "./kit/wait";

const HOUR_MS = 60 * 60 * 1000;

afterEach(() => resetClock());

async function seededConversation() {
  const t = await seedTenant({
    skillsets: { care: 5 },
    agents: [{ id: "anna", name: "Anna", skills: { care: 5 } }],
  });
  const [anna] = t.agents as [string];
  const { conversationId, customer } = await acceptedConversation(t, anna, phone());
  return { t, anna, id: conversationId, customer };
}

function sql<T>(id: string, run: (sql: SqlStorage) => T): Promise<T> {
  return runInDurableObject(env.CONVERSATION.getByName(id), (_i: ConversationActor, state) =>
    run(state.storage.sql),
  );
}

/** Anna's reply is sent, and settled by Meta's statuses: its outbox row is gone. */
async function replySettled(
  c: { tenantId: string; phoneNumberId: string; anna: string; id: string; customer: string },
  text: string,
): Promise<void> {
  const sent = await env.CONVERSATION.getByName(c.id).sendText(
    c.tenantId,
    { id: c.anna, name: "Anna" },
    crypto.randomUUID(),
    text,
  );
  expect(sent.ok).toBe(true);
  await eventually(async () => (await phoneReceived(c.customer)).includes(text));
  await relaySim(c.phoneNumberId);
  await eventually(() =>
    sql(c.id, (s) => s.exec("SELECT count(*) AS n FROM outbox").one().n === 0 || null),
  );
}

/**
 * Runs the conversation's alarm now: it reads what is pending (one statement,
 * the record read already) and expires unsent uploads, nothing else, and
 * calls no actor.
 */
async function wakeRunsNoDuty(id: string): Promise<void> {
  await meterCounts(true);
  expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(id))).toBe(true);
  const counts = await meterCounts();
  expect(counts["sql.statements"]).toBeLessThanOrEqual(2);
  expect(
    Object.keys(counts).filter((k) => k.startsWith("actor.") && !k.endsWith(".alarm")),
  ).toEqual([]);
}

function alarmAt(id: string): Promise<number | null> {
  return runInDurableObject(env.CONVERSATION.getByName(id), (_i: ConversationActor, state) =>
    state.storage.getAlarm(),
  );
}

describe("alarm duties", () => {
  it("a duty that throws does not skip the others, and the alarm is armed again", async () => {
    const c = await seededConversation();
    const conversation = env.CONVERSATION.getByName(c.id);
    // The actors' clock an hour ahead: retries are due an hour from the real now, so only
    // the alarm this test runs (an hour later still) retries them.
    advanceClock(HOUR_MS);
    // A reply Meta refuses once (a transient 500): its retry waits in the outbox.
    await sim("/_sim/faults", { count: 1, httpStatus: 500, phoneNumberId: c.t.phoneNumberId });
    const replyId = crypto.randomUUID();
    await conversation.sendText(c.t.tenantId, { id: c.anna, name: "Anna" }, replyId, "Eccomi");
    await eventually(() =>
      sql(c.id, (s) => s.exec("SELECT attempts FROM outbox").toArray()[0]?.attempts === 1),
    );
    // A photo whose download Meta refuses once: its retry waits in the media jobs.
    const metaId = await simMedia(new Uint8Array([137, 80, 78, 71]), "image/png");
    await sim("/_sim/faults", { count: 1, httpStatus: 500 });
    await customerSends(c.t, c.customer, {
      type: "image",
      image: { id: metaId, mime_type: "image/png" },
    });
    await relaySim(c.t.phoneNumberId);
    await eventually(() => sql(c.id, (s) => mediaJobs(new ActorDb(s))[0]?.attempts === 1));
    expect(await phoneReceived(c.customer)).toEqual([]);

    // The number's settings are corrupted in storage: computing the timers throws.
    await sql(c.id, (s) => s.exec("UPDATE kv SET value = '{}' WHERE key = 'config'"));
    await evictDurableObject(conversation);
    advanceClock(HOUR_MS);
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id))).toBe(true);

    // The outbox and the media ran all the same.
    await eventually(async () => (await phoneReceived(c.customer)).includes("Eccomi"));
    const [job] = await sql(c.id, (s) => mediaJobs(new ActorDb(s)));
    expect(job).toMatchObject({ state: "done", attempts: 2 });
    // And the alarm is armed again (the broken timers are retried), not in a tight loop.
    const next = await alarmAt(c.id);
    expect(next).not.toBeNull();
    expect(next!).toBeGreaterThan(Date.now() + 10_000);
  });

  it("an outbox row that cannot even be prepared ends failed after its retries, and does not hold up the next", async () => {
    const c = await seededConversation();
    const conversation = env.CONVERSATION.getByName(c.id);
    // A message whose stored content is unreadable, queued before a good one.
    const broken = crypto.randomUUID();
    await sql(c.id, (s) => {
      s.exec(
        `INSERT INTO messages (id, direction, kind, text, payload, status, sender, created_at)
         VALUES (?, 'out', 'image', 'Foto', '{not json', 'pending', '{"type":"system"}', ?)`,
        broken,
        Date.now(),
      );
      s.exec(
        "INSERT INTO outbox (message_id, attempts, next_at, state) VALUES (?, 0, ?, 'queued')",
        broken,
        Date.now() - 1_000,
      );
    });
    await conversation.sendText(c.t.tenantId, { id: c.anna, name: "Anna" }, uid("m"), "Dopo");
    await eventually(async () => (await phoneReceived(c.customer)).includes("Dopo"));

    for (let i = 0; i < MAX_SEND_ATTEMPTS + 2; i++) {
      advanceClock(HOUR_MS);
      await runDurableObjectAlarm(env.CONVERSATION.getByName(c.id));
    }
    const failed = (await conversationRead(c.t.tenantId, c.id)).messages.find(
      (m) => m.id === broken,
    );
    expect(failed).toMatchObject({ status: "failed", error: { code: NOT_PREPARED_ERROR } });
    expect(await sql(c.id, (s) => s.exec("SELECT * FROM outbox").toArray())).toEqual([]);
    expect(await phoneReceived(c.customer)).toEqual(["Dopo"]);
  });

  it("an e-mail on close the server keeps refusing ends after its retries with a note in the conversation and its history", async () => {
    const to = `${uid("refused")}@example.test`.toLowerCase();
    await refuseMailTo(to);
    const t = await seedTenant({
      skillsets: { care: 5 },
      agents: [{ id: "anna", name: "Anna", skills: { care: 5 } }],
    });
    await setSettings(t.numberId, { details: { closeEmailTo: to } });
    const [anna] = t.agents as [string];
    const { conversationId: id } = await acceptedConversation(t, anna, phone(), "Una copia?");
    await env.CONVERSATION.getByName(id).close(t.tenantId, anna, "resolved");

    const note = await eventually(async () => {
      advanceClock(HOUR_MS);
      await runDurableObjectAlarm(env.CONVERSATION.getByName(id));
      const read = await conversationRead(t.tenantId, id);
      return read.messages.find((m) => m.kind === "note");
    }, 15_000);
    expect(note.content).toMatchObject({ type: "note", notice: "close_mail_failed", detail: to });
    expect(note.text).toBe(`The transcript of this conversation could not be e-mailed to ${to}.`);
    // Nothing left to retry for the mail; the history (written again) carries the note.
    const history = await eventually(async () => {
      await runDurableObjectAlarm(env.CONVERSATION.getByName(id));
      const { results } = await env.DB.prepare(
        "SELECT text FROM conversation_messages WHERE conversation_id = ? ORDER BY seq",
      )
        .bind(id)
        .all<{ text: string }>();
      return results.some((r) => r.text === note.text) ? results : null;
    });
    expect(history.map((r) => r.text)).toContain("Una copia?");
  });
});

describe("a wake for nothing", () => {
  it("runs no duty and arms nothing: the lazy backup of a reply already sent", async () => {
    const { t, anna, id, customer } = await seededConversation();
    const conversation = env.CONVERSATION.getByName(id);
    // Sent and settled: nothing is pending, yet the send's backup is still armed (the alarm is lazy).
    await replySettled({ ...t, anna, id, customer }, "Arrivo subito");
    expect(await alarmAt(id)).not.toBeNull();

    await wakeRunsNoDuty(id);
    expect(await alarmAt(id)).toBeNull();
    expect(await runDurableObjectAlarm(conversation)).toBe(false);
  });
});

describe("a wake before anything is due", () => {
  it("runs no duty and arms the alarm for what is pending: the lazy backup of a reply, an hour before the inactivity close", async () => {
    const t = await seedTenant({
      skillsets: { care: 5 },
      agents: [{ id: "anna", name: "Anna", skills: { care: 5 } }],
    });
    const [anna] = t.agents as [string];
    await setSettings(t.numberId, { autoClose: { activeInactivityMinutes: 60 } });
    const { conversationId: id, customer } = await acceptedConversation(t, anna, phone());
    await replySettled({ ...t, anna, id, customer }, "Un attimo");
    // The send's backup, still armed: well before the close, an hour away.
    const backup = (await alarmAt(id))!;
    expect(backup).toBeLessThan(Date.now() + 5 * 60_000);

    await wakeRunsNoDuty(id);
    // Armed again for the close, and nothing changed: still open, with Anna.
    expect(await alarmAt(id)).toBeGreaterThan(Date.now() + 55 * 60_000);
    expect((await conversationRead(t.tenantId, id)).conversation).toMatchObject({
      state: "assigned",
    });
  });
});

describe("the agent's alarm", () => {
  it("an offer lapses even when its number cannot be told at once: the number is told later, and the next agent gets it", async () => {
    const t = await seedTenant({
      skillsets: { care: 5 },
      agents: [
        { id: "first", name: "First", skills: { care: 9 } },
        { id: "second", name: "Second", skills: { care: 1 } },
      ],
    });
    const [first, second] = t.agents as [string, string];
    await env.AGENT.getByName(first).setStatus(t.tenantId, "ready");
    await env.AGENT.getByName(second).setStatus(t.tenantId, "ready");
    await customerWrites(t.phoneNumberId, phone(), "C'è qualcuno?");
    const offer = await eventually(
      async () => (await env.AGENT.getByName(first).snapshot(t.tenantId))!.offers[0],
    );

    // The number's storage misbehaves: telling it about the lapse throws.
    const number = env.NUMBER.getByName(t.numberId);
    await runInDurableObject(number, (_i, state) =>
      state.storage.sql.exec("ALTER TABLE conversations RENAME TO conversations_away"),
    );
    const agent = env.AGENT.getByName(first);
    await runInDurableObject(agent, (_i: AgentActor, state) => {
      state.storage.sql.exec("UPDATE offers SET expires_at = ?", Date.now() - 1);
    });
    expect(await runDurableObjectAlarm(agent)).toBe(true);
    const snapshot = (await agent.snapshot(t.tenantId))!;
    expect(snapshot.offers).toEqual([]);
    expect(snapshot.agent.status).toBe("rona");
    // The lapse is kept, and the alarm armed to tell the number again.
    const pending = await runInDurableObject(agent, async (_i: AgentActor, state) => ({
      lapsed: state.storage.sql.exec("SELECT conversation_id FROM lapsed_offers").toArray(),
      alarm: await state.storage.getAlarm(),
    }));
    expect(pending.lapsed).toEqual([{ conversation_id: offer.conversationId }]);
    expect(pending.alarm).not.toBeNull();

    await runInDurableObject(number, (_i, state) =>
      state.storage.sql.exec("ALTER TABLE conversations_away RENAME TO conversations"),
    );
    advanceClock(60_000);
    expect(await runDurableObjectAlarm(agent)).toBe(true);
    const next = await eventually(
      async () => (await env.AGENT.getByName(second).snapshot(t.tenantId))!.offers[0],
    );
    expect(next.conversationId).toBe(offer.conversationId);
  });
});
