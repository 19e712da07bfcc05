/**
 * A route is declared once: `Routes.endpoint({ method, path, summary, tag,
 * access, params?, query?, body?, response?, status? }, handler)` registers the
 * Hono route with its role check and validators (messages in the caller's
 * language, http.ts) and documents the same schemas in /api/openapi.json
 * (openapi.ts). Paths are full (`/api/…`): routers are mounted at the root, so
 * the path written is the path served and documented.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ZodType, z } from "zod";
import { type Access, accessOfPath, fitsArea, requireRole } from "./access";
import type { AppEnv } from "./app-types";
import { jsonBody, params, query } from "./http";
import { documentOperation, type Method } from "./openapi";

/** One route's declaration. */
export interface Endpoint {
  method: Method;
  /** The full path, with `:name` parameters (documented as strings). */
  path: string;
  summary: string;
  tag: string;
  /** Who may call it: its area's access (access.ts) or a stricter one, checked before validation. */
  access: Access;
  /** Path parameters, validated (400 naming `path`). */
  params?: ZodType;
  /** The query string, validated and documented. */
  query?: ZodType;
  /** The JSON body, validated (415 unless JSON, 400 naming `body`) and documented. */
  body?: ZodType;
  /** The success answer's body, documented. */
  response?: ZodType;
  /** The success status, documented (200 when omitted). */
  status?: number;
  /**
   * The query as documented, when it must differ from the validated one (an
   * export accepts the list's paging but does not use it).
   */
  documentedQuery?: ZodType;
}

type Nothing = Record<never, never>;
type Validated<E extends Endpoint> = (E extends { params: infer S extends ZodType }
  ? { param: z.output<S> }
  : Nothing) &
  (E extends { query: infer S extends ZodType } ? { query: z.output<S> } : Nothing) &
  (E extends { body: infer S extends ZodType } ? { json: z.output<S> } : Nothing);

/** The context a declared route's handler gets: `c.req.valid(…)` typed by its schemas. */
export type EndpointContext<E extends Endpoint> = Context<AppEnv, E["path"], { out: Validated<E> }>;

/** A declared route's handler. */
export type EndpointHandler<E extends Endpoint> = (
  c: EndpointContext<E>,
) => Response | Promise<Response>;

/** The role check of a route stricter than its area (the area's own is the guard's). */
function roleCheck(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    requireRole(c.var.user, access);
    await next();
  };
}

/** A router of declared routes; mount it at the root (`app.route("/", router)`). */
export class Routes extends Hono<AppEnv> {
  /**
   * Declares a route: refuses (at startup) an access that does not fit the
   * path's area, documents it, and registers role check → path → query → body
   * validation → `handler`.
   */
  endpoint<const E extends Endpoint>(spec: E, handler: EndpointHandler<E>): this {
    const where = `${spec.method.toUpperCase()} ${spec.path}`;
    const area = accessOfPath(spec.path);
    if (!area || !fitsArea(spec.access, area)) {
      throw new Error(
        `${where}: access "${spec.access}" does not fit its area (${area ?? "none"})`,
      );
    }
    documentOperation({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      tag: spec.tag,
      body: spec.body,
      query: spec.documentedQuery ?? spec.query,
      response: spec.response,
      status: spec.status,
      public: spec.access === "public",
    });
    const chain: MiddlewareHandler<AppEnv>[] = [];
    // The guard checked the area's role; a stricter one is checked here (sign-out needs none).
    if (spec.access !== area && spec.access !== "session-if-any") {
      chain.push(roleCheck(spec.access));
    }
    if (spec.params) chain.push(params(spec.params));
    if (spec.query) chain.push(query(spec.query));
    if (spec.body) chain.push(jsonBody(spec.body));
    // Hono's overloads type each handler's input from its validators; ours are typed by `E`.
    const register = this.on as (
      method: string,
      path: string,
      ...handlers: MiddlewareHandler<AppEnv>[]
    ) => unknown;
    register(spec.method.toUpperCase(), spec.path, ...chain, handler as MiddlewareHandler<AppEnv>);
    return this;
  }
}
