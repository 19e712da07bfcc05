/**
 * The conversation actor's SQLite schema, as numbered migrations (src/durable/sql.ts
 * `migrate`): run once each, in order, recorded in the actor's storage.
 * Append-only: a released step is never edited; a change is a new step.
 */
import { addMissingColumns, KV_TABLE, type Migration, rawSql } from "../sql";
import { MEDIA_CLEANUP_TABLES } from "./media-cleanup";
import { MEDIA_JOBS_TABLE } from "./media-fetch";
import { OUTBOX_TABLE } from "./outbox";

const MESSAGES_TABLE = `CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, wamid TEXT UNIQUE,
  direction TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT,
  status TEXT, error TEXT, sender TEXT NOT NULL, created_at INTEGER NOT NULL)`;

/** Every tick Meta reported for a wamid, with its time (a message's details show them). */
const STATUS_LOG_TABLE = `CREATE TABLE IF NOT EXISTS status_log (
  wamid TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (wamid, status))`;

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
  // 2. Fewer rows written per message (each is billed): `messages` without
  //    AUTOINCREMENT, which wrote sqlite_sequence at every insert (messages are
  //    never deleted, so a plain INTEGER PRIMARY KEY gives the same seqs), and
  //    `status_log` and `outbox` WITHOUT ROWID, whose primary key was a second
  //    index written beside each row. Every row is kept, with its seq.
  [
    `CREATE TABLE messages_v2 (
       seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, wamid TEXT UNIQUE,
       direction TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, payload TEXT,
       status TEXT, error TEXT, sender TEXT NOT NULL, created_at INTEGER NOT NULL, resent_as TEXT)`,
    `INSERT INTO messages_v2 (seq, id, wamid, direction, kind, text, payload, status, error, sender, created_at, resent_as)
       SELECT seq, id, wamid, direction, kind, text, payload, status, error, sender, created_at, resent_as
       FROM messages`,
    "DROP TABLE messages",
    "ALTER TABLE messages_v2 RENAME TO messages",
    `CREATE TABLE status_log_v2 (
       wamid TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL,
       PRIMARY KEY (wamid, status)) WITHOUT ROWID`,
    "INSERT INTO status_log_v2 (wamid, status, at) SELECT wamid, status, at FROM status_log",
    "DROP TABLE status_log",
    "ALTER TABLE status_log_v2 RENAME TO status_log",
    `CREATE TABLE outbox_v2 (
       message_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL,
       state TEXT NOT NULL) WITHOUT ROWID`,
    `INSERT INTO outbox_v2 (message_id, attempts, next_at, state)
       SELECT message_id, attempts, next_at, state FROM outbox`,
    "DROP TABLE outbox",
    "ALTER TABLE outbox_v2 RENAME TO outbox",
  ],
];
