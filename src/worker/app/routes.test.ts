import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppEnv, SessionUser } from "./app-types";
import { openApiDocument } from "./openapi";
import { Routes } from "./routes";

const Body = z.object({ name: z.string().min(1) });
const Params = z.object({ id: z.uuid() });

/** One declared route, behind a stand-in for the guard that signs `role` in. */
function appWith(role: SessionUser["role"]) {
  const routes = new Routes().endpoint(
    {
      method: "post",
      path: "/api/customers/:id/test-notes",
      summary: "A route declared only by this test",
      tag: "test",
      access: "admin",
      params: Params,
      body: Body,
      response: z.object({ id: z.string(), name: z.string() }),
      status: 201,
    },
    (c) => c.json({ id: c.req.valid("param").id, name: c.req.valid("json").name }, 201),
  );
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("user", { role } as SessionUser);
    await next();
  });
  app.route("/", routes);
  return app;
}

const ID = "4c3b2a10-1234-4abc-8def-0123456789ab";
const post = (app: Hono<AppEnv>, id: string, body: string, type = "application/json") =>
  app.request(`/api/customers/${id}/test-notes`, {
    method: "POST",
    headers: { "Content-Type": type },
    body,
  });

describe("Routes.endpoint", () => {
  it("registers the route with its validators: the handler gets the parsed path and body", async () => {
    const res = await post(appWith("admin"), ID, JSON.stringify({ name: "Ann" }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: ID, name: "Ann" });
  });

  it("checks a role stricter than the area's before validating anything", async () => {
    const res = await post(appWith("agent"), "not-a-uuid", "not json", "text/plain");
    expect(res.status).toBe(403);
  });

  it("validates the path, then the body (415 unless JSON)", async () => {
    const app = appWith("admin");
    const badPath = await post(app, "not-a-uuid", JSON.stringify({ name: "" }));
    expect(badPath.status).toBe(400);
    expect(((await badPath.json()) as { error: { message: string } }).error.message).toMatch(
      /^This address is not valid — id:/,
    );
    expect((await post(app, ID, "{}", "text/plain")).status).toBe(415);
    const badBody = await post(app, ID, JSON.stringify({ name: "" }));
    expect(((await badBody.json()) as { error: { message: string } }).error.message).toMatch(
      /^Please check the form — name: Fill this in\./,
    );
  });

  it("documents the same declaration in the OpenAPI document", () => {
    appWith("admin");
    const doc = openApiDocument() as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const op = doc.paths["/api/customers/{id}/test-notes"]?.post;
    expect(op).toMatchObject({
      summary: "A route declared only by this test",
      tags: ["test"],
      parameters: [{ name: "id", in: "path", required: true }],
      requestBody: { content: { "application/json": { schema: { required: ["name"] } } } },
      responses: { "201": { description: "Success" } },
    });
    expect(op).not.toHaveProperty("security");
  });

  it("refuses, at declaration, an access looser than its path's area or a path in no area", () => {
    const declare = (path: string, access: "public" | "user" | "tenant" | "admin") => () =>
      new Routes().endpoint({ method: "get", path, summary: "x", tag: "test", access }, (c) =>
        c.body(null, 204),
      );
    expect(declare("/api/admin/test-only", "user")).toThrow(/does not fit its area \(admin\)/);
    expect(declare("/api/customers/test-only", "user")).toThrow(/\(tenant\)/);
    expect(declare("/api/test-only", "public")).toThrow(/\(user\)/);
    expect(declare("/test-only", "public")).toThrow(/\(none\)/);
    expect(declare("/api/test-only-ok", "tenant")).not.toThrow();
  });
});
