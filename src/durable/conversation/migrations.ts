/**
 * The conversation actor's SQLite schema, as numbered migrations (src/durable/sql.ts
 * `migrate`): run once each, in order, recorded in the actor's storage.
 * Append-only: a released step is never edited in what it does to a stored
 * actor; a change is a new step. (Step 1 creates the tables in their current
 * shapes: an actor without them is new, and step 2 then has nothing to convert.)
 */
import { type ActorDb, addMissingColumns, KV_TABLE, type Migration, rawSql, sql } from "../sql";
import { MEDIA_CLEANUP_TABLES } from "./media-cleanup";
import { MEDIA_JOBS_TABLE } from "./media-fetch";

/**
 * Messages by seq. No AUTOINCREMENT: it wrote sqlite_sequence at every insert
 * (a billed row), and messages are never deleted, so the seqs are the same.
 */
const MESSAGES_TABLE = `CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, wamid TEXT UNIQUE,
  direction TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT,
  status TEXT, error TEXT, sender TEXT NOT NULL, created_at INTEGER NOT NULL, resent_as TEXT)`;

/**
 * Every tick Meta reported for a wamid, with its time (a message's details
 * show them). WITHOUT ROWID: the key is the row, not a second index beside it.
 */
const STATUS_LOG_TABLE = `CREATE TABLE IF NOT EXISTS status_log (
  wamid TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (wamid, status)) WITHOUT ROWID`;

/** The outbox (outbox.ts): a row per message being sent. WITHOUT ROWID, as status_log. */
const OUTBOX_TABLE = `CREATE TABLE IF NOT EXISTS outbox (
  message_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL,
  state TEXT NOT NULL) WITHOUT ROWID`;

/** A table's definition as stored (null: no such table). */
function definitionOf(db: ActorDb, table: string): string | null {
  return (
    db.one<{ sql: string }>(
      sql`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${table}`,
    )?.sql ?? null
  );
}

/** Rebuilds `table` as `ddl` (its current shape) with every row, when `old` says it is not. */
function rebuild(
  db: ActorDb,
  table: string,
  old: (definition: string) => boolean,
  ddl: string,
  columns: string,
): void {
  const definition = definitionOf(db, table);
  if (definition === null || !old(definition)) return;
  db.storage.exec(`ALTER TABLE ${table} RENAME TO ${table}_old`);
  db.storage.exec(ddl);
  db.storage.exec(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${table}_old`);
  db.storage.exec(`DROP TABLE ${table}_old`);
}

export const CONVERSATION_MIGRATIONS: readonly Migration[] = [
  // 1. The baseline: the tables as they stood before versioned migrations. An
  // actor stored before then has some of them already (IF NOT EXISTS), and may
  // lack `messages.resent_as`, added after its table was created.
  (db) => {
    for (const ddl of [
      KV_TABLE,
      MESSAGES_TABLE,
      OUTBOX_TABLE,
      STATUS_LOG_TABLE,
      MEDIA_JOBS_TABLE,
      ...MEDIA_CLEANUP_TABLES,
    ]) {
      db.run(rawSql(ddl));
    }
    addMissingColumns(db.storage, "messages", { resent_as: "TEXT" });
  },
  // 2. Fewer rows written per message (each is billed): an actor whose step 1
  //    created `messages` with AUTOINCREMENT, or `status_log` and `outbox` with
  //    their key as a second index beside each row, gets them in their current
  //    shapes (above), every row kept with its seq.
  (db) => {
    rebuild(
      db,
      "messages",
      (d) => /AUTOINCREMENT/i.test(d),
      MESSAGES_TABLE,
      "seq, id, wamid, direction, kind, text, payload, status, error, sender, created_at, resent_as",
    );
    rebuild(
      db,
      "status_log",
      (d) => !/WITHOUT ROWID/i.test(d),
      STATUS_LOG_TABLE,
      "wamid, status, at",
    );
    rebuild(
      db,
      "outbox",
      (d) => !/WITHOUT ROWID/i.test(d),
      OUTBOX_TABLE,
      "message_id, attempts, next_at, state",
    );
  },
];
