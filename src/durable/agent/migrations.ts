/**
 * The AgentActor's tables, as numbered migrations run once per actor
 * (`migrate` in ../sql.ts). Append-only: a released step is never edited.
 */
import { KV_TABLE, type Migration } from "../sql";

/** The AgentActor's schema steps, in order (run by its constructor). */
export const AGENT_MIGRATIONS: readonly Migration[] = [
  // 1. Baseline: the tables as they were before versioned migrations (each
  //    statement idempotent, so an actor stored before keeps its rows).
  [
    KV_TABLE,
    `CREATE TABLE IF NOT EXISTS offers (
       conversation_id TEXT PRIMARY KEY, number_id TEXT NOT NULL, view TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS conversations (
       conversation_id TEXT PRIMARY KEY, number_id TEXT NOT NULL, view TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)`,
    // Lapsed offers whose number has not yet been told (retried by the alarm until it is).
    `CREATE TABLE IF NOT EXISTS lapsed_offers (
       conversation_id TEXT PRIMARY KEY, number_id TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL)`,
  ],
  // 2. The event log without AUTOINCREMENT, which wrote sqlite_sequence at every
  //    event (billed as a row): the log numbers its events itself (event-log.ts).
  [
    "CREATE TABLE events_v2 (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    "INSERT INTO events_v2 (seq, body) SELECT seq, body FROM events",
    "DROP TABLE events",
    "ALTER TABLE events_v2 RENAME TO events",
  ],
];
