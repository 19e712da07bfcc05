/**
 * The conversation actor's history write under failure: D1 refusing the write
 * (a trigger that RAISEs simulates a D1 outage), the actor evicted meanwhile,
 * the customer deleted before a retry, a write repeated, and a conversation
 * long enough to need several INSERT statements.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationActor } from "../src/durable/conversation/actor";
import {
  type ArchivedMessage,
  type ArchivePending,
  archiveRetryDelayMs,
  chunkMessages,
} from "../src/durable/conversation/history-archive";
import { advanceClock, resetClock } from "../src/platform/clock";
import type { HistoryDetail } from "../src/shared/customer-history";
import { closeConversation, deskAgent, reply, takeConversation } from "./kit/conversation";
import { archived, customerIdOf, historyRow } from "./kit/history";
import { phone } from "./kit/ids";
import { callJson } from "./kit/session";
import { historyTenant } from "./kit/tenant";
import { eventually } from "./kit/wait";

/** The actor's pending-write marker, or null when D1 has everything. */
function pendingOf(conversationId: string): Promise<ArchivePending | null> {
  return runInDurableObject(
    env.CONVERSATION.getByName(conversationId),
    (_i: ConversationActor, state) => {
      const row = state.storage.sql
        .exec<{ value: string }>("SELECT value FROM kv WHERE key = 'archive'")
        .toArray()[0];
      return row ? (JSON.parse(row.value) as ArchivePending) : null;
    },
  );
}

/**
 * Simulates a D1 outage for one conversation's history: every insert of its
 * messages fails, so the whole batch (row and messages) is rolled back.
 * Returns the function that ends the outage.
 */
async function d1Outage(conversationId: string): Promise<() => Promise<void>> {
  const name = `outage_${conversationId.replaceAll("-", "")}`;
  // Test-only DDL: the id is a UUID we generated, not user input.
  await env.DB.prepare(
    `CREATE TRIGGER ${name} BEFORE INSERT ON conversation_messages
     WHEN NEW.conversation_id = '${conversationId}'
     BEGIN SELECT RAISE(ABORT, 'simulated D1 outage'); END`,
  ).run();
  return async () => {
    await env.DB.prepare(`DROP TRIGGER ${name}`).run();
  };
}

async function messageTexts(conversationId: string): Promise<(string | null)[]> {
  const { results } = await env.DB.prepare(
    "SELECT text FROM conversation_messages WHERE conversation_id = ? ORDER BY seq",
  )
    .bind(conversationId)
    .all<{ text: string | null }>();
  return results.map((r) => r.text);
}

/**
 * The conversation's alarm is lazy (src/durable/sql.ts, `Alarm`): one no longer
 * needed (a retry that a later event made moot) is left to fire, for nothing,
 * and arms no other.
 */
async function lastWakeFindsNothing(conversationId: string): Promise<void> {
  const stub = env.CONVERSATION.getByName(conversationId);
  await runDurableObjectAlarm(stub);
  expect(await runDurableObjectAlarm(stub)).toBe(false);
}

/** The longest wait between two history write attempts. */
const ARCHIVE_RETRY_MAX_MS = 10 * 60_000;

afterEach(() => resetClock());

describe("history write retries", () => {
  it("closes at once during a D1 outage, survives eviction, and the alarm writes the history once D1 is back", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, anna, from, "Il mio ordine è in ritardo");
    await reply(anna, id, "Verifico subito");
    await eventually(() => historyRow(id));
    const endOutage = await d1Outage(id);

    // The agent's close succeeds; the history write fails behind it.
    const closed = await callJson<{ state: string }>(
      anna,
      "POST",
      `/api/conversations/${id}/close`,
      { reason: "resolved", notes: "richiamare" },
      200,
    );
    expect(closed.state).toBe("closed");
    const failed = await eventually(async () => {
      const p = await pendingOf(id);
      return p && p.attempts >= 1 ? p : null;
    });
    expect(failed.dueAt).toBeGreaterThan(Date.now());
    // The batch is atomic: not even the row was completed.
    expect((await historyRow(id))?.closed_at).toBeNull();
    expect(await messageTexts(id)).toEqual([]);

    // The actor is evicted; its marker and alarm are durable.
    await evictDurableObject(env.CONVERSATION.getByName(id));
    await endOutage();
    expect(await runDurableObjectAlarm(env.CONVERSATION.getByName(id))).toBe(true);

    const row = await archived(id);
    expect(row).toMatchObject({
      close_reason: "resolved",
      close_notes: "richiamare",
      closed_by_name: "Anna",
      message_count: 2,
    });
    expect(await messageTexts(id)).toEqual(["Il mio ordine è in ritardo", "Verifico subito"]);
    expect(await pendingOf(id)).toBeNull();
    // Nothing left to retry: no alarm remains once a wake left from before has found nothing.
    await lastWakeFindsNothing(id);
  });

  it("keeps failing: the conversation says so after its retries, keeps trying, and the history gets it once D1 is back", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const id = await takeConversation(t, anna, phone(), "Mi serve la fattura");
    await eventually(() => historyRow(id));
    const endOutage = await d1Outage(id);
    await closeConversation(anna, id, "resolved");
    await eventually(async () => ((await pendingOf(id))?.attempts ?? 0) >= 1);

    const conversation = env.CONVERSATION.getByName(id);
    const notice = await eventually(async () => {
      advanceClock(ARCHIVE_RETRY_MAX_MS);
      await runDurableObjectAlarm(conversation);
      const read = await conversation.read(t.tenantId);
      return read?.messages.find((m) => m.content?.type === "note");
    }, 15_000);
    expect(notice.content).toMatchObject({ type: "note", notice: "history_failed" });
    // Still pending: the history is never given up.
    const pending = await pendingOf(id);
    expect(pending?.attempts).toBeGreaterThanOrEqual(8);
    expect(pending?.dueAt).toBeGreaterThan(Date.now());

    await endOutage();
    advanceClock(ARCHIVE_RETRY_MAX_MS);
    expect(await runDurableObjectAlarm(conversation)).toBe(true);
    expect(await pendingOf(id)).toBeNull();
    expect(await messageTexts(id)).toEqual(["Mi serve la fattura", notice.text]);
  });

  it("drops the pending write when the customer was deleted meanwhile", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, anna, from, "cancellatemi");
    const customerId = await customerIdOf(t.tenantId, from);
    await eventually(() => historyRow(id));
    const endOutage = await d1Outage(id);
    await closeConversation(anna, id, "resolved");
    await eventually(async () => ((await pendingOf(id))?.attempts ?? 0) >= 1);

    await callJson(t.admin, "DELETE", `/api/customers/${customerId}`, undefined, 204);
    await endOutage();
    // The deletion tells the conversation at once: it finds the customer gone and drops the write.
    await eventually(async () => (await pendingOf(id)) === null);
    expect(await historyRow(id)).toBeNull();
    expect(await messageTexts(id)).toEqual([]);
    await lastWakeFindsNothing(id);
  });

  it("a repeated write replaces the same rows (and the search index) instead of adding any", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, anna, from, "ombrello dimenticato");
    await closeConversation(anna, id, "resolved");
    await archived(id);
    const stub = env.CONVERSATION.getByName(id);
    for (let i = 0; i < 2; i++) {
      await runInDurableObject(stub, async (instance: ConversationActor) => {
        await (instance as unknown as { requestArchive(): Promise<void> }).requestArchive();
      });
      await eventually(async () => (await pendingOf(id)) === null);
    }
    expect(await messageTexts(id)).toEqual(["ombrello dimenticato"]);
    const hits = await env.DB.prepare(
      "SELECT count(*) AS n FROM conversation_messages_fts WHERE conversation_messages_fts MATCH 'ombrello'",
    ).first<{ n: number }>();
    expect(hits?.n).toBe(1);
    // Closing again changes nothing either.
    await callJson(anna, "POST", `/api/conversations/${id}/close`, { reason: "other" }, 404);
    expect((await historyRow(id))?.close_reason).toBe("resolved");
  });

  it("writes a long conversation in several statements, in order", async () => {
    const t = await historyTenant();
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const id = await takeConversation(t, anna, from, "messaggio 1");
    const customerId = await customerIdOf(t.tenantId, from);
    // 449 more messages straight into the actor's storage (the webhook path is
    // proven elsewhere): over 200 per statement, so three INSERTs are needed.
    await runInDurableObject(env.CONVERSATION.getByName(id), (_i: ConversationActor, state) => {
      for (let n = 2; n <= 450; n++) {
        state.storage.sql.exec(
          `INSERT INTO messages (id, direction, kind, text, sender, created_at)
           VALUES (?, 'in', 'text', ?, '{"type":"customer"}', ?)`,
          crypto.randomUUID(),
          `messaggio ${n} ${"é".repeat(1000)}`,
          Date.now() + n,
        );
      }
    });
    await closeConversation(anna, id, "resolved");
    const row = await archived(id);
    expect(row.message_count).toBe(450);
    const read = await callJson<HistoryDetail>(
      t.admin,
      "GET",
      `/api/customers/${customerId}/conversations/${id}`,
      undefined,
      200,
    );
    expect(read.messages).toHaveLength(450);
    expect(read.messages.map((m) => m.seq)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
    expect(read.messages[449]!.text).toBe(`messaggio 450 ${"é".repeat(1000)}`);
  });
});

describe("history batch shape", () => {
  const message = (seq: number, text: string): ArchivedMessage => ({
    seq,
    direction: "in",
    senderName: "Mario",
    kind: "text",
    text,
    createdAt: seq,
    status: null,
  });

  it("chunks by count and by size, never leaving a message out or empty chunks", () => {
    const small = Array.from({ length: 450 }, (_, i) => message(i + 1, "ciao"));
    expect(chunkMessages(small).map((c) => c.length)).toEqual([200, 200, 50]);
    // 4096 emoji, 16 KiB of UTF-8 per message: the size limit splits first.
    const big = Array.from({ length: 100 }, (_, i) => message(i + 1, "😀".repeat(4096)));
    const chunks = chunkMessages(big);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(new TextEncoder().encode(JSON.stringify(chunk)).length).toBeLessThan(600 * 1024);
    }
    expect(chunks.flat().map((m) => m.seq)).toEqual(big.map((m) => m.seq));
    expect(chunkMessages([])).toEqual([]);
  });

  it("backs off from 5 s, doubling, up to 10 minutes", () => {
    expect([1, 2, 3, 4].map(archiveRetryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(archiveRetryDelayMs(30)).toBe(600_000);
  });
});
