/**
 * The actors' SQLite helper (src/durable/sql.ts) on a real Durable Object's
 * storage: values are bound, never spliced; lists expand; migrations run once,
 * in order, and an actor that already ran them pays one SELECT.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ActorDb, Alarm, migrate, rawSql, StoredJson, sql } from "../src/durable/sql";
import { uid } from "./kit/ids";

/**
 * Runs `fn` against a fresh actor's storage (a LimiterActor's: any SQLite-backed
 * actor will do), without the limiter's own tables and migration record.
 */
function withStorage(fn: (db: ActorDb) => void): Promise<void> {
  return runInDurableObject(env.LIMITER.getByName(uid("sql")), (_actor, state) => {
    state.storage.sql.exec("DROP TABLE IF EXISTS schema_version");
    state.storage.sql.exec("DROP TABLE IF EXISTS kv");
    fn(new ActorDb(state.storage.sql));
  });
}

describe("sql`…`", () => {
  it("binds interpolated values as parameters, expands lists and splices fragments", () => {
    const ids = ["a", "b"];
    const q = sql`SELECT * FROM t WHERE id IN (${ids}) AND n > ${3}${sql` AND k = ${"x"}`}`;
    expect(q.text).toBe("SELECT * FROM t WHERE id IN (?, ?) AND n > ? AND k = ?");
    expect(q.values).toEqual(["a", "b", 3, "x"]);
    expect(rawSql("ORDER BY at").values).toEqual([]);
    expect(() => sql`SELECT 1 WHERE id IN (${[]})`).toThrow(/empty list/);
  });

  it("stores a value that looks like SQL as text", () =>
    withStorage((db) => {
      db.storage.exec("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)");
      const hostile = "x'); DROP TABLE t; --";
      expect(db.run(sql`INSERT INTO t (id, body) VALUES (${"1"}, ${hostile})`)).toBeGreaterThan(0);
      expect(db.one<{ body: string }>(sql`SELECT body FROM t WHERE id = ${"1"}`)?.body).toBe(
        hostile,
      );
      expect(db.all(sql`SELECT id FROM t WHERE id IN (${["1", "2"]})`)).toEqual([{ id: "1" }]);
      expect(db.one(sql`SELECT id FROM t WHERE id = ${"2"}`)).toBeNull();
    }));

  it("StoredJson gives back what it wrote, and null for a null column", () => {
    const column = new StoredJson<{ a: number[] }>();
    expect(column.read(column.write({ a: [1, 2] }))).toEqual({ a: [1, 2] });
    expect(column.readOptional(null)).toBeNull();
  });
});

describe("migrate", () => {
  it("runs each migration once, in order, and later only the new ones", () =>
    withStorage((db) => {
      const ran: string[] = [];
      const v1 = ["CREATE TABLE items (id TEXT PRIMARY KEY)"];
      const v2 = (d: ActorDb) => {
        ran.push("v2");
        d.storage.exec("ALTER TABLE items ADD COLUMN at INTEGER");
      };
      migrate(db, [v1, v2]);
      migrate(db, [v1, v2]);
      expect(ran).toEqual(["v2"]);
      db.run(sql`INSERT INTO items (id, at) VALUES (${"i"}, ${5})`);

      migrate(db, [v1, v2, ["ALTER TABLE items ADD COLUMN note TEXT"]]);
      expect(db.one(sql`SELECT id, at, note FROM items`)).toEqual({ id: "i", at: 5, note: null });
      expect(db.one(sql`SELECT version FROM schema_version`)).toEqual({ version: 3 });
    }));

  it("takes over an actor stored before versioned migrations (tables there, no version)", () =>
    withStorage((db) => {
      db.storage.exec("CREATE TABLE items (id TEXT PRIMARY KEY)");
      db.run(sql`INSERT INTO items (id) VALUES (${"old"})`);
      // The baseline is idempotent: CREATE TABLE IF NOT EXISTS leaves the old table and its rows.
      migrate(db, [["CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY)"]]);
      expect(db.all(sql`SELECT id FROM items`)).toEqual([{ id: "old" }]);
    }));
});

describe("Alarm", () => {
  it("lazy: keeps an alarm still ahead and no later, and leaves one no longer needed to fire", () =>
    runInDurableObject(env.LIMITER.getByName(uid("alarm")), async (_actor, state) => {
      const alarm = new Alarm(state.storage, { lazy: true });
      const soon = Date.now() + 60_000;
      await alarm.set(soon);
      expect(await state.storage.getAlarm()).toBe(soon);
      // Later deadlines (a send's backup) and none at all cost no write: the earlier wake re-arms.
      await alarm.set(soon + 30_000);
      await alarm.set(null);
      expect(await state.storage.getAlarm()).toBe(soon);
      // An earlier one is written.
      await alarm.set(soon - 30_000);
      expect(await state.storage.getAlarm()).toBe(soon - 30_000);
      // Once fired (the runtime cleared it), the next deadline is written again.
      alarm.fired();
      await state.storage.deleteAlarm();
      await alarm.set(soon + 30_000);
      expect(await state.storage.getAlarm()).toBe(soon + 30_000);

      // Not lazy: every change is written, null deletes.
      const strict = new Alarm(state.storage);
      await strict.set(soon + 90_000);
      expect(await state.storage.getAlarm()).toBe(soon + 90_000);
      await strict.set(null);
      expect(await state.storage.getAlarm()).toBeNull();
    }));
});
