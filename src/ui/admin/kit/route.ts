/**
 * Pure path matching for the admin router: patterns like `/admin/numbers/:id/:tab`
 * against a location's pathname. No DOM, so it is unit-tested on its own.
 */

/** Named segments captured by a pattern, already URI-decoded. */
export type RouteParams = Readonly<Record<string, string>>;

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

/**
 * Matches `path` against `pattern` segment by segment; `:name` captures one non-empty
 * segment. A trailing slash is ignored. Returns the captured params, or null when the
 * path does not match (or a segment is not valid URI encoding).
 */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = splitPath(pattern);
  const have = splitPath(path);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const expected = want[i] as string;
    const actual = have[i] as string;
    if (expected.startsWith(":")) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

/** The first of `patterns` that matches, with its params; null when none does. */
export function firstMatch<K extends string>(
  patterns: readonly (readonly [K, string])[],
  path: string,
): { key: K; params: RouteParams } | null {
  for (const [key, pattern] of patterns) {
    const params = matchPath(pattern, path);
    if (params) return { key, params };
  }
  return null;
}

/** Builds a path from segments, encoding each: `pathOf("admin", "users", id)`. */
export function pathOf(...segments: readonly string[]): string {
  return `/${segments.map(encodeURIComponent).join("/")}`;
}

/** True when `path` is `prefix` itself or below it (`/admin` covers `/admin/users`, not `/administer`). */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
}
