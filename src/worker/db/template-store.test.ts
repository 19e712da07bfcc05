import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { uid } from "../../../test/kit/ids";
import type { TemplateContent } from "../../shared/admin";
import {
  componentsJson,
  statusAfterEvent,
  templateProblems,
  usableTemplates,
} from "./template-store";

const base: TemplateContent = {
  name: "order_ready",
  language: "en_US",
  category: "UTILITY",
  header: null,
  body: { text: "Hello {{1}}, order {{2}} is ready.", examples: ["Ann", "#1"] },
  footer: null,
  buttons: [],
};

function paths(t: Partial<TemplateContent>): string[] {
  return templateProblems({ ...base, ...t }).map((p) => p.path);
}

describe("templateProblems", () => {
  it("accepts a well-formed template, repeated variables included", () => {
    expect(paths({})).toEqual([]);
    expect(paths({ body: { text: "Hi {{1}}, yes {{1}}, {{2}}!", examples: ["a", "b"] } })).toEqual(
      [],
    );
    expect(paths({ header: { text: "Order {{1}}", example: "#1" } })).toEqual([]);
    expect(paths({ header: { text: "Your order", example: null } })).toEqual([]);
  });

  it("wants consecutive {{n}} variables with exactly one example each", () => {
    expect(paths({ body: { text: "Hi {{1}}, order {{2}} ok", examples: ["a"] } })).toEqual([
      "body.examples",
    ]);
    expect(paths({ body: { text: "Hi there", examples: ["a"] } })).toEqual(["body.examples"]);
    expect(paths({ body: { text: "Hi {{2}} ok", examples: ["a"] } })).toEqual(["body.text"]);
    expect(paths({ body: { text: "Hi {{name}} ok", examples: ["a"] } })).toEqual(["body.text"]);
    expect(paths({ body: { text: "{{1}} is ready", examples: ["a"] } })).toEqual(["body.text"]);
    expect(paths({ body: { text: "Ready, {{1}}", examples: ["a"] } })).toEqual(["body.text"]);
    expect(paths({ header: { text: "Order {{1}}", example: null } })).toEqual(["header.example"]);
    expect(paths({ header: { text: "Order", example: "x" } })).toEqual(["header.example"]);
    expect(paths({ header: { text: "{{1}} {{2}}", example: "x" } })).toEqual(["header.text"]);
    expect(paths({ footer: "Bye {{1}}" })).toEqual(["footer"]);
  });

  it("allows up to 3 quick replies or 2 call-to-action buttons, not mixed", () => {
    const qr = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: "QUICK_REPLY" as const, text: `R${i}` }));
    const url = { type: "URL" as const, text: "Site", url: "https://example.com" };
    const phone = { type: "PHONE_NUMBER" as const, text: "Call", phoneNumber: "+390212345678" };
    expect(paths({ buttons: qr(3) })).toEqual([]);
    expect(paths({ buttons: qr(4) })).toEqual(["buttons"]);
    expect(paths({ buttons: [url, phone] })).toEqual([]);
    expect(paths({ buttons: [url, url, phone] })).toEqual(["buttons"]);
    expect(paths({ buttons: [phone, phone] })).toEqual(["buttons"]);
    expect(paths({ buttons: [...qr(1), url] })).toEqual(["buttons"]);
    expect(paths({ buttons: [{ ...url, url: "https://example.com/{{1}}" }] })).toEqual([
      "buttons.0.url",
    ]);
  });

  it("keeps authentication templates to where the code goes", () => {
    const auth = { ...base, category: "AUTHENTICATION" as const };
    const code = { text: "Your code is {{1}}.", examples: ["123456"] };
    expect(templateProblems({ ...auth, body: code }).map((p) => p.path)).toEqual([]);
    expect(
      templateProblems({
        ...auth,
        body: code,
        header: { text: "Code", example: null },
        footer: "x",
        buttons: [{ type: "QUICK_REPLY", text: "ok" }],
      }).map((p) => p.path),
    ).toEqual(["header", "footer", "buttons"]);
    expect(templateProblems(auth).map((p) => p.path)).toEqual(["body.text"]);
  });
});

describe("statusAfterEvent", () => {
  it("maps Meta's review events, folding NONE to no reason", () => {
    expect(statusAfterEvent("pending", "APPROVED", "NONE")).toEqual({
      status: "approved",
      reason: null,
    });
    expect(statusAfterEvent("pending", "REJECTED", "INVALID_FORMAT")).toEqual({
      status: "rejected",
      reason: "INVALID_FORMAT",
    });
    expect(statusAfterEvent("approved", "PAUSED", null)).toEqual({
      status: "paused",
      reason: null,
    });
    expect(statusAfterEvent("paused", "REINSTATED", "NONE")).toEqual({
      status: "approved",
      reason: null,
    });
    expect(statusAfterEvent("approved", "DELETED", null)).toEqual({
      status: "disabled",
      reason: "DELETED",
    });
    expect(statusAfterEvent("approved", "FLAGGED", "LOW_QUALITY")).toEqual({
      status: "approved",
      reason: "FLAGGED: LOW_QUALITY",
    });
  });

  it("never lets a late PENDING undo a decision, and ignores events it does not know", () => {
    expect(statusAfterEvent("approved", "PENDING", null)).toBeNull();
    expect(statusAfterEvent("disabled", "PENDING", null)).toBeNull();
    expect(statusAfterEvent("rejected", "PENDING", null)).toEqual({
      status: "pending",
      reason: null,
    });
    expect(statusAfterEvent("approved", "IN_APPEAL", null)).toBeNull();
    expect(statusAfterEvent("approved", "SOMETHING_NEW", null)).toBeNull();
  });
});

describe("usableTemplates", () => {
  it("returns only the tenant's approved templates of that number, by name", async () => {
    const tenant = uid("tenant");
    const other = uid("tenant");
    const [n1, n2, n3] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const stmts = [
      env.DB.prepare("INSERT INTO tenants (id, name) VALUES (?, 'T'), (?, 'O')").bind(
        tenant,
        other,
      ),
    ];
    for (const [id, t, pnid] of [
      [n1, tenant, "1"],
      [n2, tenant, "2"],
      [n3, other, "3"],
    ] as const) {
      stmts.push(
        env.DB.prepare(
          "INSERT INTO managed_numbers (id, tenant_id, phone_number_id, display_phone, name) VALUES (?, ?, ?, '+1', ?)",
        ).bind(id, t, `${pnid}${crypto.randomUUID().replace(/\D/g, "").slice(0, 12)}`, `N${pnid}`),
      );
    }
    const rows: [string, string, string, string][] = [
      [tenant, n1, "zeta", "approved"],
      [tenant, n1, "alpha", "approved"],
      [tenant, n1, "draft_one", "draft"],
      [tenant, n1, "pending_one", "pending"],
      [tenant, n1, "paused_one", "paused"],
      [tenant, n1, "rejected_one", "rejected"],
      [tenant, n1, "disabled_one", "disabled"],
      [tenant, n2, "other_number", "approved"],
      [other, n3, "other_tenant", "approved"],
    ];
    for (const [t, n, name, status] of rows) {
      stmts.push(
        env.DB.prepare(
          "INSERT INTO templates (id, tenant_id, number_id, name, language, category, components, status) VALUES (?, ?, ?, ?, 'en_US', 'UTILITY', ?, ?)",
        ).bind(crypto.randomUUID(), t, n, name, componentsJson(base), status),
      );
    }
    await env.DB.batch(stmts);
    const usable = await usableTemplates(env.DB, tenant, n1);
    expect(usable.map((t) => [t.name, t.status, t.numberName])).toEqual([
      ["alpha", "approved", "N1"],
      ["zeta", "approved", "N1"],
    ]);
    expect(usable[0]!.body).toEqual(base.body);
    expect(await usableTemplates(env.DB, tenant, n3)).toEqual([]);
    expect(await usableTemplates(env.DB, other, n1)).toEqual([]);
  });
});
