import { describe, expect, it } from "vitest";
import type { TemplateContent } from "../shared/admin";
import { createTemplate, createTemplateRequest, deleteTemplate } from "./template-api";

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
  const api = (fetcher: typeof fetch, timeoutMs = 5_000) => ({
    base: "https://graph.test/v23.0",
    timeoutMs,
    fetcher,
  });

  it("posts to /{waba}/message_templates with the bearer token and reads Meta's id", async () => {
    const seen: Request[] = [];
    const r = await createTemplate(
      api(fakeFetch(200, { id: "1234567890123456", status: "PENDING", category: "UTILITY" }, seen)),
      account,
      utility,
    );
    expect(r).toEqual({ ok: true, value: { id: "1234567890123456", status: "PENDING" } });
    expect(seen[0]!.url).toBe("https://graph.test/v23.0/123456789/message_templates");
    expect(seen[0]!.headers.get("Authorization")).toBe("Bearer tok");
    expect(await seen[0]!.json()).toEqual(createTemplateRequest(utility));
  });

  it("returns Meta's user message on refusal, and classifies retries", async () => {
    const refused = await createTemplate(
      api(
        fakeFetch(400, {
          error: {
            message: "Invalid parameter",
            code: 100,
            error_user_title: "Missing sample values",
            error_user_msg: "BODY needs 1 sample value.",
          },
        }),
      ),
      account,
      utility,
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
    const down = await createTemplate(
      api(async () => {
        throw new Error("connection refused");
      }),
      account,
      utility,
    );
    expect(down).toMatchObject({ ok: false, retryable: true, error: { httpStatus: null } });
  });

  it("gives up on a template call that gets no answer within its deadline", async () => {
    // A Graph API that never answers (a fake fetch: only the abort can end it).
    const silent: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
      });
    const started = Date.now();
    const r = await createTemplate(api(silent, 50), account, utility);
    expect(r).toMatchObject({
      ok: false,
      retryable: true,
      error: { httpStatus: null, title: "No answer within 50 ms" },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("deletes exactly one template by name and hsm_id", async () => {
    const seen: Request[] = [];
    const r = await deleteTemplate(
      api(fakeFetch(200, { success: true }, seen)),
      account,
      "appointment",
      "1234567890123456",
    );
    expect(r).toEqual({ ok: true, value: null });
    expect(seen[0]!.method).toBe("DELETE");
    expect(seen[0]!.url).toBe(
      "https://graph.test/v23.0/123456789/message_templates?name=appointment&hsm_id=1234567890123456",
    );
  });
});
