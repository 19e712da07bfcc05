/**
 * The NumberActor's tables, as numbered migrations run once per actor
 * (`migrate` in ../sql.ts). Append-only: a released step is never edited.
 */
import { addMissingColumns, KV_TABLE, type Migration, rawSql } from "../sql";

/** The tables as they were before versioned migrations (each statement idempotent). */
const BASELINE_TABLES = [
  KV_TABLE,
  `CREATE TABLE IF NOT EXISTS inbound_seen (
     wamid TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seen_at INTEGER NOT NULL DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS inbound_seen_at ON inbound_seen (seen_at)`,
  `CREATE TABLE IF NOT EXISTS conversations (
     id TEXT PRIMARY KEY, contact_key TEXT NOT NULL UNIQUE, contact_json TEXT NOT NULL,
     state TEXT NOT NULL, arrived_at INTEGER NOT NULL, customer_json TEXT,
     skillset_id TEXT, offered_to TEXT, offered_skillset_id TEXT, agent_id TEXT)`,
  `CREATE TABLE IF NOT EXISTS known_conversations (id TEXT PRIMARY KEY)`,
  // When each customer last wrote (ms, Meta's timestamp), kept after their conversations
  // close: the 24-hour window of a conversation an agent starts.
  `CREATE TABLE IF NOT EXISTS contact_inbound (contact_key TEXT PRIMARY KEY, at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS outbound (wamid TEXT PRIMARY KEY, conversation_id TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS orphan_statuses (
     wamid TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL,
     PRIMARY KEY (wamid, status))`,
  `CREATE TABLE IF NOT EXISTS agents (
     id TEXT PRIMARY KEY, status TEXT NOT NULL, load INTEGER NOT NULL,
     max_conversations INTEGER NOT NULL, last_assigned_at INTEGER)`,
  // Inbound messages of a suspended tenant, in arrival order (seq), once per
  // wamid: kept, not routed, until the tenant is reactivated.
  `CREATE TABLE IF NOT EXISTS held_inbound (
     seq INTEGER PRIMARY KEY, wamid TEXT NOT NULL UNIQUE, item TEXT NOT NULL,
     held_at INTEGER NOT NULL)`,
];

/** The NumberActor's schema steps, in order (run by its constructor). */
export const NUMBER_MIGRATIONS: readonly Migration[] = [
  // 1. Baseline: the tables above, and the conversations' columns added since
  //    they were first created, which an actor stored before may lack.
  (db) => {
    for (const ddl of BASELINE_TABLES) db.run(rawSql(ddl));
    addMissingColumns(db.storage, "conversations", {
      agent_name: "TEXT",
      target_agent_id: "TEXT",
      target_agent_name: "TEXT",
      fallback_at: "INTEGER",
      transfer_mode: "TEXT",
      exclude_agent_id: "TEXT",
      kind: "TEXT NOT NULL DEFAULT 'new'",
      from_agent_name: "TEXT",
      wait_kind: "TEXT",
      left_open: "INTEGER NOT NULL DEFAULT 0",
      since: "INTEGER",
    });
  },
  // 2. One vocabulary: a conversation's state in the protocol's words
  //    (conversations.ts, RowState). `parked` was the wait queue; `held`, a
  //    customer the number does not accept (only existing customers).
  [
    "UPDATE conversations SET state = 'wait_queue' WHERE state = 'parked'",
    "UPDATE conversations SET state = 'unauthorized' WHERE state = 'held'",
  ],
  // 3. Statuses find their message by our callback data in the conversation
  //    (statuses.ts): the map of sent wamids, the statuses kept until their send
  //    registered, and the conversations remembered to check callback data go.
  [
    "DROP TABLE IF EXISTS outbound",
    "DROP TABLE IF EXISTS orphan_statuses",
    "DROP TABLE IF EXISTS known_conversations",
  ],
];
