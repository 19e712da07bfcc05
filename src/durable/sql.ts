/** Thin typed helpers over a Durable Object's synchronous SQLite storage. */

type Row = Record<string, SqlStorageValue>;

/** All rows of a parameterised query, typed by the caller. */
export function all<T extends Row>(sql: SqlStorage, query: string, ...params: unknown[]): T[] {
  return sql.exec<T>(query, ...params).toArray();
}

/** The first row of a parameterised query, or null. */
export function one<T extends Row>(sql: SqlStorage, query: string, ...params: unknown[]): T | null {
  return all<T>(sql, query, ...params)[0] ?? null;
}

/** Runs a statement and returns how many rows it wrote. */
export function run(sql: SqlStorage, query: string, ...params: unknown[]): number {
  return sql.exec(query, ...params).rowsWritten;
}

/**
 * One JSON value of the actor's `kv` table, parsed once and kept in memory.
 * Only the actor writes its storage, so the copy stays exact as long as every
 * write goes through `set`/`delete`. What `get` returns is shared: callers
 * build a new value and `set` it instead of changing it in place.
 */
export class KvCell<T> {
  private readonly sql: SqlStorage;
  private readonly key: string;
  private loaded = false;
  private value: T | null = null;
  private stored: string | null = null;

  constructor(sql: SqlStorage, key: string) {
    this.sql = sql;
    this.key = key;
  }

  get(): T | null {
    const text = this.text();
    if (this.value === null && text !== null) this.value = JSON.parse(text) as T;
    return this.value;
  }

  /** The stored JSON text (for a caller that wants its own copy of the value). */
  text(): string | null {
    if (!this.loaded) {
      this.stored =
        one<{ value: string }>(this.sql, "SELECT value FROM kv WHERE key = ?", this.key)?.value ??
        null;
      this.value = null;
      this.loaded = true;
    }
    return this.stored;
  }

  /** Stores `value`; a value equal to the stored one costs no write. */
  set(value: T): void {
    const text = JSON.stringify(value);
    if (!(this.loaded && text === this.stored)) {
      this.sql.exec(
        "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        this.key,
        text,
      );
    }
    this.stored = text;
    this.value = value;
    this.loaded = true;
  }

  delete(): void {
    if (!(this.loaded && this.stored === null)) {
      this.sql.exec("DELETE FROM kv WHERE key = ?", this.key);
    }
    this.stored = null;
    this.value = null;
    this.loaded = true;
  }
}

export const KV_TABLE = "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

/**
 * Adds columns that a table created by an earlier version lacks (CREATE TABLE
 * IF NOT EXISTS never changes an existing table). `columns` maps a name to its
 * definition, e.g. `{ since: "INTEGER" }`. Idempotent.
 */
export function addMissingColumns(
  sql: SqlStorage,
  table: string,
  columns: Record<string, string>,
): void {
  const have = new Set(
    all<{ name: string }>(sql, `PRAGMA table_info(${table})`).map((c) => c.name),
  );
  for (const [name, definition] of Object.entries(columns)) {
    if (!have.has(name)) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
  }
}

/**
 * The actor's one alarm, written only when its time changes: actors re-arm
 * after nearly every operation, and most of those leave the deadline as it was.
 * After a restart the time is unknown, so the first `set` always writes.
 */
export class Alarm {
  private readonly storage: DurableObjectStorage;
  /** What this instance last wrote (undefined: unknown). */
  private at: number | null | undefined;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  /** Sets the alarm to `at`, or deletes it for null. */
  async set(at: number | null): Promise<void> {
    if (at === this.at) return;
    // Noted before the write: of two overlapping calls, the later one's time is
    // both what storage ends with and what is remembered.
    this.at = at;
    try {
      if (at === null) await this.storage.deleteAlarm();
      else await this.storage.setAlarm(at);
    } catch (err) {
      this.at = undefined;
      throw err;
    }
  }

  /** Call first thing in `alarm()`: the runtime cleared the alarm it ran. */
  fired(): void {
    this.at = undefined;
  }
}

/** The earliest of some deadlines, or null when there are none. */
export function earliest(...deadlines: (number | null | undefined)[]): number | null {
  const set = deadlines.filter((at): at is number => at != null);
  return set.length > 0 ? Math.min(...set) : null;
}
