/**
 * Who may call what: the API's areas by path, in one table, and the role each
 * access level requires. The one guard of /api/* (src/worker/auth/guard.ts)
 * enforces the table on every request, matched or not; each route declares its
 * own access (src/worker/app/routes.ts), which must be its area's or stricter,
 * so no route can be exposed by accident.
 */
import type { SessionUser } from "./app-types";
import { refuse } from "./results";

/**
 * - `public`: no session needed (sign-in, links, Meta's webhook, the API description).
 * - `session-if-any`: public, but the route acts on the caller's session cookie when
 *   there is one (sign-out); documented with the session scheme.
 * - `user`: any signed-in user, the platform operator included.
 * - `tenant`: an administrator or agent of a tenant (the operator has no customers).
 * - `admin`: a tenant's administrator.
 * - `operator`: the platform operator.
 */
export type Access = "public" | "session-if-any" | "user" | "tenant" | "admin" | "operator";

/**
 * The areas, most specific first; the first whose pattern matches decides. A
 * pattern ending in `/*` covers its own path and everything below it.
 */
export const PATH_ACCESS: readonly (readonly [pattern: string, access: Access])[] = [
  ["/api/openapi.json", "public"],
  ["/api/admin/*", "admin"],
  ["/api/platform/*", "operator"],
  ["/api/customers/*", "tenant"],
  ["/api/my-history/*", "tenant"],
  ["/api/*", "user"],
  ["/auth/*", "public"],
  ["/webhooks/*", "public"],
];

function matches(pattern: string, path: string): boolean {
  if (!pattern.endsWith("/*")) return path === pattern;
  const base = pattern.slice(0, -2);
  return path === base || path.startsWith(`${base}/`);
}

/** The access the area of `path` requires; null outside every area (the app's pages). Pure. */
export function accessOfPath(path: string): Access | null {
  return PATH_ACCESS.find(([pattern]) => matches(pattern, path))?.[1] ?? null;
}

/** Which declared accesses may live in an area: the area's own, or a stricter one. */
const FITS: Record<Access, readonly Access[]> = {
  public: ["public", "session-if-any"],
  "session-if-any": ["session-if-any"],
  user: ["user", "tenant", "admin"],
  tenant: ["tenant", "admin"],
  admin: ["admin"],
  operator: ["operator"],
};

/** Whether a route declared with `declared` may be served in an area requiring `area`. Pure. */
export function fitsArea(declared: Access, area: Access): boolean {
  return FITS[area].includes(declared);
}

/** Refuses (403) a signed-in user whom `access` does not admit. */
export function requireRole(user: SessionUser, access: Access): void {
  if (access === "tenant" && user.role === "operator") refuse("tenantsOnly");
  if (access === "admin" && user.role !== "admin") refuse("adminsOnly");
  if (access === "operator" && user.role !== "operator") refuse("operatorOnly");
}
