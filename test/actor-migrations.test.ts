/**
 * The conversation's and the agent's schema steps that write fewer rows per
 * message, on real actors' storage: an actor stored with the tables before them
 * (AUTOINCREMENT seqs, primary keys beside rowids) wakes with every row and
 * seq kept; the next message or event takes the next seq, and writes fewer rows.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AgentActor } from "../src/durable/agent/actor";
import { AGENT_MIGRATIONS } from "../src/durable/agent/migrations";
import type { ConversationActor } from "../src/durable/conversation/actor";
import { CONVERSATION_MIGRATIONS } from "../src/durable/conversation/migrations";
import { ActorDb, sql } from "../src/durable/sql";
import { uid } from "./kit/ids";

/** The tables' definitions as SQLite keeps them. */
function definitions(storage: SqlStorage): Record<string, string> {
  return Object.fromEntries(
    new ActorDb(storage)
      .all<{ name: string; sql: string }>(
        sql`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL`,
      )
      .map((t) => [t.name, t.sql]),
  );
}

describe("fewer rows written per message", () => {
  it("a conversation stored before wakes with its messages, ticks and outbox, and seqs go on", async () => {
    const stub = env.CONVERSATION.getByName(uid("conversation-migrations"));
    await runInDurableObject(stub, (_c: ConversationActor, state) => {
      const storage = state.storage.sql;
      for (const t of ["messages", "status_log", "outbox"]) storage.exec(`DROP TABLE ${t}`);
      // As step 1 created them.
      storage.exec(`CREATE TABLE messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, wamid TEXT UNIQUE,
        direction TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT,
        status TEXT, error TEXT, sender TEXT NOT NULL, created_at INTEGER NOT NULL, resent_as TEXT)`);
      storage.exec(`CREATE TABLE status_log (
        wamid TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (wamid, status))`);
      storage.exec(`CREATE TABLE outbox (
        message_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, state TEXT NOT NULL)`);
      for (const [seq, id] of [
        [1, "m-1"],
        [7, "m-7"],
      ] as const) {
        storage.exec(
          `INSERT INTO messages (seq, id, wamid, direction, kind, text, sender, created_at)
           VALUES (?, ?, ?, 'out', 'text', 'hello', '{"type":"system"}', 1)`,
          seq,
          id,
          `wamid.${id}`,
        );
      }
      storage.exec(
        "INSERT INTO status_log VALUES ('wamid.m-1', 'sent', 5), ('wamid.m-1', 'read', 9)",
      );
      storage.exec("INSERT INTO outbox VALUES ('m-7', 0, 3, 'queued')");
      storage.exec("UPDATE schema_version SET version = 1");
    });
    await evictDurableObject(stub);

    const after = await runInDurableObject(stub, (_c: ConversationActor, state) => {
      const db = new ActorDb(state.storage.sql);
      const inserted = db.run(
        sql`INSERT INTO messages (id, direction, kind, text, sender, created_at)
            VALUES ('m-next', 'in', 'text', 'hi', '{"type":"customer"}', 2)`,
      );
      return {
        version: db.one(sql`SELECT version FROM schema_version`),
        messages: db.all(sql`SELECT seq, id, wamid FROM messages ORDER BY seq`),
        ticks: db.all(sql`SELECT wamid, status, at FROM status_log ORDER BY at`),
        outbox: db.all(sql`SELECT message_id, state FROM outbox`),
        // The row and its two unique indexes: no sqlite_sequence any more.
        inserted,
        tables: definitions(state.storage.sql),
      };
    });
    expect(after.version).toEqual({ version: CONVERSATION_MIGRATIONS.length });
    expect(after.messages).toEqual([
      { seq: 1, id: "m-1", wamid: "wamid.m-1" },
      { seq: 7, id: "m-7", wamid: "wamid.m-7" },
      { seq: 8, id: "m-next", wamid: null },
    ]);
    expect(after.ticks).toEqual([
      { wamid: "wamid.m-1", status: "sent", at: 5 },
      { wamid: "wamid.m-1", status: "read", at: 9 },
    ]);
    expect(after.outbox).toEqual([{ message_id: "m-7", state: "queued" }]);
    expect(after.inserted).toBe(3);
    expect(after.tables.messages).not.toMatch(/AUTOINCREMENT/);
    expect(after.tables.status_log).toMatch(/WITHOUT ROWID/);
    expect(after.tables.outbox).toMatch(/WITHOUT ROWID/);
  });

  it("an agent stored before wakes with its event log, and the next event takes the next seq", async () => {
    const stub = env.AGENT.getByName(uid("agent-migrations"));
    await runInDurableObject(stub, (_a: AgentActor, state) => {
      const storage = state.storage.sql;
      storage.exec("DROP TABLE events");
      storage.exec(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)",
      );
      storage.exec(
        `INSERT INTO events (seq, body) VALUES (41, '{"type":"pong"}'), (42, '{"type":"pong"}')`,
      );
      storage.exec("UPDATE schema_version SET version = 1");
    });
    await evictDurableObject(stub);
    const after = await runInDurableObject(stub, (_a: AgentActor, state) => {
      const db = new ActorDb(state.storage.sql);
      return {
        version: db.one(sql`SELECT version FROM schema_version`),
        seqs: db.all(sql`SELECT seq FROM events ORDER BY seq`),
        written: db.run(sql`INSERT INTO events (seq, body) VALUES (43, '{"type":"pong"}')`),
        tables: definitions(state.storage.sql),
      };
    });
    expect(after.version).toEqual({ version: AGENT_MIGRATIONS.length });
    expect(after.seqs).toEqual([{ seq: 41 }, { seq: 42 }]);
    expect(after.written).toBe(1);
    expect(after.tables.events).not.toMatch(/AUTOINCREMENT/);
  });
});
