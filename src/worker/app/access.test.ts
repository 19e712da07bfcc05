import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { type Access, accessOfPath, fitsArea, requireRole } from "./access";
import type { SessionUser } from "./app-types";

describe("accessOfPath", () => {
  it("gives each path the access of the most specific area that covers it", () => {
    expect(accessOfPath("/api/admin/users")).toBe("admin");
    expect(accessOfPath("/api/admin/numbers/n-1/properties/order")).toBe("admin");
    expect(accessOfPath("/api/platform/tenants")).toBe("operator");
    expect(accessOfPath("/api/customers/c-1/conversations")).toBe("tenant");
    expect(accessOfPath("/api/my-history/x/email")).toBe("tenant");
    expect(accessOfPath("/api/me")).toBe("user");
    expect(accessOfPath("/api/conversations/x/messages")).toBe("user");
    expect(accessOfPath("/auth/login")).toBe("public");
    expect(accessOfPath("/webhooks/whatsapp")).toBe("public");
  });

  it("covers an area's own path, but not a longer name that starts alike", () => {
    expect(accessOfPath("/api/admin")).toBe("admin");
    expect(accessOfPath("/api/customers")).toBe("tenant");
    expect(accessOfPath("/api/administrators")).toBe("user");
    expect(accessOfPath("/api/customersx")).toBe("user");
  });

  it("makes only the API description public in /api, and only that exact path", () => {
    expect(accessOfPath("/api/openapi.json")).toBe("public");
    expect(accessOfPath("/api/openapi.json/x")).toBe("user");
  });

  it("leaves the app's pages and the drill hooks outside every area", () => {
    expect(accessOfPath("/")).toBeNull();
    expect(accessOfPath("/desk")).toBeNull();
    expect(accessOfPath("/_drill/abort")).toBeNull();
  });
});

describe("fitsArea", () => {
  it("lets a route be its area's access or stricter, never looser", () => {
    const fits = (declared: Access, area: Access) => fitsArea(declared, area);
    expect(fits("user", "user")).toBe(true);
    expect(fits("tenant", "user")).toBe(true);
    expect(fits("admin", "user")).toBe(true);
    expect(fits("admin", "tenant")).toBe(true);
    expect(fits("public", "user")).toBe(false);
    expect(fits("user", "tenant")).toBe(false);
    expect(fits("user", "admin")).toBe(false);
    expect(fits("operator", "admin")).toBe(false);
    expect(fits("admin", "operator")).toBe(false);
    expect(fits("session-if-any", "public")).toBe(true);
    expect(fits("user", "public")).toBe(false);
  });
});

describe("requireRole", () => {
  const user = (role: SessionUser["role"]): SessionUser => ({
    id: "u",
    tenantId: "t",
    tenantName: "T",
    email: "u@example.test",
    name: "U",
    role,
    language: "en",
    sessionId: "s",
    masked: false,
  });

  async function refusalOf(fn: () => void): Promise<{ status: number; body: unknown } | null> {
    try {
      fn();
      return null;
    } catch (err) {
      if (!(err instanceof HTTPException)) throw err;
      const res = err.getResponse();
      return { status: res.status, body: await res.json() };
    }
  }

  it("admits every signed-in user where any may call", async () => {
    for (const role of ["admin", "agent", "operator"] as const) {
      expect(await refusalOf(() => requireRole(user(role), "user"))).toBeNull();
    }
  });

  it("refuses the platform operator where customers are (403, they belong to tenants)", async () => {
    expect(await refusalOf(() => requireRole(user("agent"), "tenant"))).toBeNull();
    expect(await refusalOf(() => requireRole(user("operator"), "tenant"))).toEqual({
      status: 403,
      body: { error: { code: "forbidden", message: "Customers belong to tenants" } },
    });
  });

  it("admits only administrators to admin routes and only the operator to the platform's", async () => {
    expect(await refusalOf(() => requireRole(user("admin"), "admin"))).toBeNull();
    expect(await refusalOf(() => requireRole(user("agent"), "admin"))).toEqual({
      status: 403,
      body: { error: { code: "forbidden", message: "Only administrators may do this" } },
    });
    expect(await refusalOf(() => requireRole(user("operator"), "operator"))).toBeNull();
    expect(await refusalOf(() => requireRole(user("admin"), "operator"))).toEqual({
      status: 403,
      body: { error: { code: "forbidden", message: "Only the platform operator may do this" } },
    });
  });
});
