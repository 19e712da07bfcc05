/**
 * The NumberActor's versioned migrations on a real actor's storage: an actor
 * stored before them (no schema_version, the conversations table of its first
 * version, rows in the old state words) wakes with every row kept, the later
 * columns added, and its states in the protocol's words; the tables that
 * mapped wamids to conversations are gone (statuses carry our callback data).
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { NumberActor } from "../src/durable/number/actor";
import { NUMBER_MIGRATIONS } from "../src/durable/number/migrations";
import { ActorDb, migrate, sql } from "../src/durable/sql";
import { uid } from "./kit/ids";

const FIRST_CONVERSATIONS_TABLE = `CREATE TABLE conversations (
  id TEXT PRIMARY KEY, contact_key TEXT NOT NULL UNIQUE, contact_json TEXT NOT NULL,
  state TEXT NOT NULL, arrived_at INTEGER NOT NULL, customer_json TEXT,
  skillset_id TEXT, offered_to TEXT, offered_skillset_id TEXT, agent_id TEXT)`;

describe("NUMBER_MIGRATIONS", () => {
  it("an actor stored with the old state words wakes with them in the protocol's words, nothing lost", async () => {
    const stub = env.NUMBER.getByName(uid("number-migrations"));
    await runInDurableObject(stub, (_n: NumberActor, state) => {
      const storage = state.storage.sql;
      // As stored before versioned migrations.
      storage.exec("DROP TABLE schema_version");
      storage.exec("DROP TABLE conversations");
      storage.exec(FIRST_CONVERSATIONS_TABLE);
      const rows: [string, string, number][] = [
        ["c-parked", "parked", 1],
        ["c-held", "held", 2],
        ["c-queued", "queued", 3],
      ];
      for (const [id, old, at] of rows) {
        new ActorDb(storage).run(
          sql`INSERT INTO conversations (id, contact_key, contact_json, state, arrived_at, agent_id)
              VALUES (${id}, ${`k-${id}`}, '{}', ${old}, ${at}, ${old === "parked" ? "a-1" : null})`,
        );
      }
    });
    await evictDurableObject(stub);

    expect(await stub.conversations()).toEqual([
      {
        id: "c-parked",
        state: "wait_queue",
        offeredTo: null,
        agentId: "a-1",
        targetAgentId: null,
        skillsetId: null,
      },
      {
        id: "c-held",
        state: "unauthorized",
        offeredTo: null,
        agentId: null,
        targetAgentId: null,
        skillsetId: null,
      },
      {
        id: "c-queued",
        state: "queued",
        offeredTo: null,
        agentId: null,
        targetAgentId: null,
        skillsetId: null,
      },
    ]);
    const stored = await runInDurableObject(stub, (_n: NumberActor, state) => {
      const db = new ActorDb(state.storage.sql);
      return {
        version: db.one(sql`SELECT version FROM schema_version`),
        added: db.all(sql`SELECT kind, left_open FROM conversations ORDER BY arrived_at`),
        tables: db
          .all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table'`)
          .map((t) => t.name),
      };
    });
    expect(stored.version).toEqual({ version: NUMBER_MIGRATIONS.length });
    // The columns added by the baseline, with their defaults.
    expect(stored.added).toEqual([
      { kind: "new", left_open: 0 },
      { kind: "new", left_open: 0 },
      { kind: "new", left_open: 0 },
    ]);
    expect(stored.tables).toContain("inbound_seen");
    for (const gone of ["outbound", "orphan_statuses", "known_conversations"]) {
      expect(stored.tables).not.toContain(gone);
    }
  });

  it("converts only what the baseline left in the old words, once", async () => {
    const stub = env.NUMBER.getByName(uid("number-migrations"));
    const states = await runInDurableObject(stub, (_n: NumberActor, state) => {
      const db = new ActorDb(state.storage.sql);
      db.run(sql`DELETE FROM schema_version`);
      migrate(db, NUMBER_MIGRATIONS.slice(0, 1));
      db.run(
        sql`INSERT INTO conversations (id, contact_key, contact_json, state, arrived_at)
            VALUES ('c-1', 'k-1', '{}', 'parked', 1), ('c-2', 'k-2', '{}', 'held', 2),
              ('c-3', 'k-3', '{}', 'bot', 3)`,
      );
      migrate(db, NUMBER_MIGRATIONS);
      // Run again: nothing left to do.
      migrate(db, NUMBER_MIGRATIONS);
      return db.all(sql`SELECT id, state FROM conversations ORDER BY arrived_at`);
    });
    expect(states).toEqual([
      { id: "c-1", state: "wait_queue" },
      { id: "c-2", state: "unauthorized" },
      { id: "c-3", state: "bot" },
    ]);
  });
});
