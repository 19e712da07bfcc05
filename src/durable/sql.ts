/**
 * An actor's SQLite storage, one way: statements are tagged templates whose
 * interpolated values become bound parameters (never SQL text), run through
 * `ActorDb`; a stored JSON column has one declared type (`StoredJson`); tables
 * are created and changed by numbered migrations (`migrate`), recorded in the
 * actor's storage and run once, not checked on every wake.
 *
 *   const db = new ActorDb(ctx.storage.sql);
 *   db.one<{ state: string }>(sql`SELECT state FROM offers WHERE id = ${id}`);
 *   db.all(sql`SELECT id FROM messages WHERE id IN (${ids})`); // a list: ?, ?, ?
 */
import { now } from "../platform/clock";
import { count, countStatement } from "../platform/meter";

/** A value SQLite stores: text, a number, bytes or NULL. */
export type SqlValue = SqlStorageValue;

/** A piece of SQL and the values bound to its `?`s. */
export class Sql {
  constructor(
    readonly text: string,
    readonly values: readonly SqlValue[],
  ) {}
}

type Interpolated = SqlValue | readonly SqlValue[] | Sql;

/**
 * A statement: each `${value}` becomes a bound `?` (an array becomes `?, ?, …`,
 * for `IN (…)`); a nested `sql` fragment or `rawSql` is spliced in with its own
 * values.
 */
export function sql(strings: TemplateStringsArray, ...values: Interpolated[]): Sql {
  let text = strings[0] ?? "";
  const bound: SqlValue[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      bound.push(...value.values);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new Error("sql: an empty list cannot be bound");
      text += value.map(() => "?").join(", ");
      bound.push(...value);
    } else {
      text += "?";
      bound.push(value as SqlValue);
    }
    text += strings[i + 1] ?? "";
  });
  return new Sql(text, bound);
}

/**
 * SQL text written in the code itself (a constant expression, a table's
 * definition), never a value from outside: it is spliced in as it is.
 */
export function rawSql(text: string): Sql {
  return new Sql(text, []);
}

type Row = Record<string, SqlStorageValue>;

/** What a statement cost (platform/meter.ts): the rows SQLite read and wrote, as billed. */
function metered(cursor: SqlStorageCursor<Row>, text: string): void {
  count("sql.statements");
  countStatement("sql", text, cursor.rowsWritten);
  count("sql.rows_read", cursor.rowsRead);
  count("sql.rows_written", cursor.rowsWritten);
}

/** An actor's SQLite storage: the only way its code runs a statement. */
export class ActorDb {
  constructor(readonly storage: SqlStorage) {}

  /** Every row, typed by the caller (the columns its SELECT names). */
  all<T extends Row = Row>(q: Sql): T[] {
    const cursor = this.storage.exec<T>(q.text, ...q.values);
    const rows = cursor.toArray();
    metered(cursor, q.text);
    return rows;
  }

  /** The first row, or null. */
  one<T extends Row = Row>(q: Sql): T | null {
    const cursor = this.storage.exec<T>(q.text, ...q.values);
    let first: T | null = null;
    for (const row of cursor) {
      first = row;
      break;
    }
    metered(cursor, q.text);
    return first;
  }

  /** Runs a statement; the rows it wrote (SQLite counts index entries too: test for > 0). */
  run(q: Sql): number {
    const cursor = this.storage.exec(q.text, ...q.values);
    metered(cursor, q.text);
    return cursor.rowsWritten;
  }
}

/**
 * A column that holds JSON of one type, declared once: `write` stores it,
 * `read` gives it back. Only the actor writes its storage, through `write`, so
 * what it reads is what it wrote (a stored row is not outside input).
 */
export class StoredJson<T> {
  write(value: T): string {
    return JSON.stringify(value);
  }
  read(text: string): T {
    return JSON.parse(text) as T;
  }
  /** A nullable column: null stays null. */
  readOptional(text: string | null): T | null {
    return text === null ? null : this.read(text);
  }
}

/**
 * One step of an actor's schema: statements run once, in order, inside the
 * actor's storage transaction, or a function for what SQL alone cannot say.
 */
export type Migration = readonly string[] | ((db: ActorDb) => void);

const VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";

/**
 * Brings the actor's tables to the last of `migrations` (version = how many
 * have run), recorded in `schema_version`. Call from the constructor inside
 * `blockConcurrencyWhile`; an up-to-date actor costs one SELECT. Migrations
 * are append-only: a released one is never edited, a change is a new one.
 */
export function migrate(db: ActorDb, migrations: readonly Migration[]): void {
  let version = 0;
  try {
    version = db.one<{ version: number }>(sql`SELECT version FROM schema_version`)?.version ?? 0;
  } catch {
    // No schema_version table: a new actor, or one from before versioned migrations.
    db.storage.exec(VERSION_TABLE);
  }
  if (version >= migrations.length) return;
  for (const migration of migrations.slice(version)) {
    if (typeof migration === "function") migration(db);
    else for (const statement of migration) db.storage.exec(statement);
  }
  db.run(sql`DELETE FROM schema_version`);
  db.run(sql`INSERT INTO schema_version (version) VALUES (${migrations.length})`);
}

/**
 * One JSON value of the actor's `kv` table, parsed once and kept in memory.
 * Only the actor writes its storage, so the copy stays exact as long as every
 * write goes through `set`/`delete`. What `get` returns is shared: callers
 * build a new value and `set` it instead of changing it in place.
 */
export class KvCell<T> {
  private readonly db: ActorDb;
  private readonly key: string;
  private loaded = false;
  private value: T | null = null;
  private stored: string | null = null;

  constructor(storage: SqlStorage, key: string) {
    this.db = new ActorDb(storage);
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
        this.db.one<{ value: string }>(sql`SELECT value FROM kv WHERE key = ${this.key}`)?.value ??
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
      this.db.run(
        sql`INSERT INTO kv (key, value) VALUES (${this.key}, ${text})
            ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      );
    }
    this.stored = text;
    this.value = value;
    this.loaded = true;
  }

  delete(): void {
    if (!(this.loaded && this.stored === null)) {
      this.db.run(sql`DELETE FROM kv WHERE key = ${this.key}`);
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
 * definition, e.g. `{ since: "INTEGER" }`. Idempotent. Only a baseline migration
 * calls it, once per actor, for actors stored before versioned migrations.
 */
export function addMissingColumns(
  storage: SqlStorage,
  table: string,
  columns: Record<string, string>,
): void {
  const have = new Set(
    new ActorDb(storage)
      .all<{ name: string }>(rawSql(`PRAGMA table_info(${table})`))
      .map((c) => c.name),
  );
  for (const [name, definition] of Object.entries(columns)) {
    if (!have.has(name)) storage.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
  }
}

/**
 * The actor's one alarm, written only when its time changes: actors re-arm
 * after nearly every operation, and most of those leave the deadline as it was.
 * After a restart the time is unknown, so the first `set` always writes.
 *
 * `lazy`, for an actor whose every wake is safe early or for nothing (its
 * alarm re-runs duties that are all idempotent, then re-arms): an alarm still
 * ahead and no later than the new time is kept (that wake re-arms for the
 * rest), and one no longer needed is left to fire rather than deleted. A
 * deadline that comes and goes with each operation (a send's backup) then
 * costs one write and one wake for nothing per its horizon, however many
 * operations fall in it, instead of a set and a delete each time (rows written
 * are billed; a wake is one request).
 */
export class Alarm {
  private readonly storage: DurableObjectStorage;
  private readonly lazy: boolean;
  /** What this instance last wrote (undefined: unknown). */
  private at: number | null | undefined;

  constructor(storage: DurableObjectStorage, opts: { lazy?: boolean } = {}) {
    this.storage = storage;
    this.lazy = opts.lazy ?? false;
  }

  /** Sets the alarm to `at`, or deletes it for null (lazy: see above). */
  async set(at: number | null): Promise<void> {
    if (at === this.at) return;
    if (this.lazy) {
      if (at === null) return;
      const kept = this.at;
      if (typeof kept === "number" && kept <= at && kept > now()) return;
    }
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
