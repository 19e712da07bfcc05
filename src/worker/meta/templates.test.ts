import { describe, expect, it } from "vitest";
import type { TemplateContent } from "../templates";
import { createTemplate, createTemplateRequest, deleteTemplate } from "./templates";

const utility: TemplateContent = {
  name: "appointment",
  language: "it",
  category: "UTILITY",
  header: null,
  body: { text: "Ciao {{1}}, a domani.", examples: ["Anna"] },
  footer: null,
  buttons: [
    { type: "URL", text: "Dettagli", url: "https://example.com/a" },
    { type: "PHONE_NUMBER", text: "Chiama", phoneNumber: "+390212345678" },
  ],
};

function fakeFetch(status: number, body: unknown, seen: Request[] = []): typeof fetch {
  return async (input, init) => {
    seen.push(new Request(input, init));
    return Response.json(body, { status });
  };
}

describe("createTemplateRequest", () => {
  it("writes components as Meta documents them", () => {
    expect(createTemplateRequest(utility)).toEqual({
      name: "appointment",
      language: "it",
      category: "UTILITY",
      components: [
        { type: "BODY", text: "Ciao {{1}}, a domani.", example: { body_text: [["Anna"]] } },
        {
          type: "BUTTONS",
          buttons: [
            { type: "URL", text: "Dettagli", url: "https://example.com/a" },
            { type: "PHONE_NUMBER", text: "Chiama", phone_number: "+390212345678" },
          ],
        },
      ],
    });
  });

  it("sends authentication templates in Meta's fixed shape with a copy-code button", () => {
    const auth: TemplateContent = {
      ...utility,
      category: "AUTHENTICATION",
      body: { text: "Il codice è {{1}}.", examples: ["123456"] },
      buttons: [],
    };
    expect(createTemplateRequest(auth).components).toEqual([
      { type: "BODY", add_security_recommendation: false },
      { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copy code" }] },
    ]);
  });
});

describe("template calls", () => {
  const account = { wabaId: "123456789", accessToken: "tok" };

  it("posts to /{waba}/message_templates with the bearer token and reads Meta's id", async () => {
    const seen: Request[] = [];
    const r = await createTemplate(
      "https://graph.test/v23.0",
      account,
      utility,
      fakeFetch(200, { id: "1234567890123456", status: "PENDING", category: "UTILITY" }, seen),
    );
    expect(r).toEqual({ ok: true, value: { id: "1234567890123456", status: "PENDING" } });
    expect(seen[0]!.url).toBe("https://graph.test/v23.0/123456789/message_templates");
    expect(seen[0]!.headers.get("Authorization")).toBe("Bearer tok");
    expect(await seen[0]!.json()).toEqual(createTemplateRequest(utility));
  });

  it("returns Meta's user message on refusal, and classifies retries", async () => {
    const refused = await createTemplate(
      "https://graph.test/v23.0",
      account,
      utility,
      fakeFetch(400, {
        error: {
          message: "Invalid parameter",
          code: 100,
          error_user_title: "Missing sample values",
          error_user_msg: "BODY needs 1 sample value.",
        },
      }),
    );
    expect(refused).toEqual({
      ok: false,
      retryable: false,
      error: {
        code: 100,
        title: "Missing sample values",
        message: "BODY needs 1 sample value.",
        httpStatus: 400,
      },
    });
    const down = await createTemplate("https://graph.test/v23.0", account, utility, async () => {
      throw new Error("connection refused");
    });
    expect(down).toMatchObject({ ok: false, retryable: true, error: { httpStatus: null } });
  });

  it("deletes exactly one template by name and hsm_id", async () => {
    const seen: Request[] = [];
    const r = await deleteTemplate(
      "https://graph.test/v23.0",
      account,
      "appointment",
      "1234567890123456",
      fakeFetch(200, { success: true }, seen),
    );
    expect(r).toEqual({ ok: true, value: null });
    expect(seen[0]!.method).toBe("DELETE");
    expect(seen[0]!.url).toBe(
      "https://graph.test/v23.0/123456789/message_templates?name=appointment&hsm_id=1234567890123456",
    );
  });
});
