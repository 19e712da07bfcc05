/**
 * What a failed D1 statement says. Drizzle wraps the error of a single query in
 * a `DrizzleQueryError` whose message is the query and its parameters (values
 * users sent) and keeps D1's own error as its `cause`; a batch throws D1's
 * error as it is. So a constraint is read from D1's error only, never from the
 * parameters.
 */
import { DrizzleQueryError } from "drizzle-orm";

/**
 * Whether `err` is, or wraps, SQLite's refusal by a `kind` constraint (a unique
 * index, a CHECK), optionally on one column (`"users.email"`). Pure.
 */
export function failedConstraint(err: unknown, kind: "UNIQUE" | "CHECK", on?: string): boolean {
  let d1Error = err;
  for (let depth = 0; d1Error instanceof DrizzleQueryError && depth < 5; depth++) {
    d1Error = d1Error.cause;
  }
  return String(d1Error).includes(`${kind} constraint failed${on ? `: ${on}` : ""}`);
}

/**
 * `err` fit for the logs: a drizzle query error keeps its SQL and D1's error
 * but not its parameters (phones, names, texts people sent). Anything else
 * is returned as it is.
 */
export function redacted(err: unknown): unknown {
  if (!(err instanceof DrizzleQueryError)) return err;
  return new Error(`Failed query: ${err.query} (parameters withheld)`, { cause: err.cause });
}
