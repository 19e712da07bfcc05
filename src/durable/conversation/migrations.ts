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
];
