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

/** Reads a JSON value stored in a `kv(key, value)` table. */
export function getJson<T>(sql: SqlStorage, key: string): T | null {
  const row = one<{ value: string }>(sql, "SELECT value FROM kv WHERE key = ?", key);
  return row ? (JSON.parse(row.value) as T) : null;
}

/** Writes a JSON value into a `kv(key, value)` table. */
export function putJson(sql: SqlStorage, key: string, value: unknown): void {
  sql.exec(
    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    key,
    JSON.stringify(value),
  );
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
