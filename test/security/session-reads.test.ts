/**
 * One guard for /api/*: an API request reads its session from D1 once, whatever
 * area it is in and whatever role its route requires on top. The Worker is the
 * real one, given a D1 that counts the statements reading the sessions table.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/durable/env";
import app from "../../src/worker/index";
import { BASE, createTenant, createUser, login } from "../kit/session";

/** Every statement prepared on D1 that reads the sessions table. */
const READS_SESSIONS = /\bfrom\s+["`]?sessions\b/i;

/** Calls the Worker with `cookie`; answers its status and how many statements read sessions. */
async function sessionReads(
  cookie: string,
  path: string,
): Promise<{ status: number; reads: number }> {
  let reads = 0;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          if (READS_SESSIONS.test(sql)) reads += 1;
          return target.prepare(sql);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${BASE}${path}`, { headers: { Cookie: cookie } }),
    { ...env, DB: db } as unknown as Env,
    ctx,
  );
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return { status: res.status, reads };
}

describe("the API's guard", () => {
  it("reads the session once per request, in every area", async () => {
    const tenantId = await createTenant();
    const agent = await login((await createUser(tenantId, { role: "agent" })).email);
    const admin = await login((await createUser(tenantId, { role: "admin" })).email);
    // The desktop's own routes, a tenant's route with its role check, the admin area.
    expect(await sessionReads(agent, "/api/me")).toEqual({ status: 200, reads: 1 });
    expect(await sessionReads(agent, "/api/account")).toEqual({ status: 200, reads: 1 });
    expect(await sessionReads(agent, "/api/service-status")).toEqual({ status: 200, reads: 1 });
    expect(await sessionReads(admin, "/api/customers")).toEqual({ status: 200, reads: 1 });
    expect(await sessionReads(admin, "/api/admin/users")).toEqual({ status: 200, reads: 1 });
    // Refused by role and not found: still one read.
    expect(await sessionReads(agent, "/api/admin/users")).toEqual({ status: 403, reads: 1 });
    expect(await sessionReads(agent, "/api/no-such-route")).toEqual({ status: 404, reads: 1 });
  });

  it("reads no session for the public API description", async () => {
    expect(await sessionReads("", "/api/openapi.json")).toEqual({ status: 200, reads: 0 });
  });
});
