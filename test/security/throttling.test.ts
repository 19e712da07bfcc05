/**
 * Throttling through the real Worker and the limiter actors: sign-in, links and
 * password resets per account and per client IP (429 with Retry-After, the same
 * whether or not the account exists), and per-user quotas on transcript mails
 * (from the desk and both histories), uploads and outbound starts.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/worker/security/limits";
import { deskAgent, takeConversation } from "../kit/conversation";
import { customerIdOf, wholeConversation } from "../kit/history";
import { phone } from "../kit/ids";
import { BASE, call, createTenant, createUser, type ErrorBody } from "../kit/session";
import { historyTenant } from "../kit/tenant";

/** A client IP of its own for each test, so tests do not share a count. */
function freshIp(): string {
  const n = () => Math.floor(Math.random() * 250) + 1;
  return `10.${n()}.${n()}.${n()}`;
}

function post(path: string, body: unknown, ip: string): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify(body),
  });
}

/** A sign-in attempt from the client IP `ip`. */
const loginFrom = (email: string, password: string, ip: string) =>
  post("/auth/login", { email, password }, ip);

async function rateLimited(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60 * 60);
  const body = await res.json<ErrorBody>();
  expect(body.error.code).toBe("rate_limited");
  return { retryAfter, body };
}

/** Uses up a per-user quota directly in its limiter actor. */
async function exhaust(rule: keyof typeof LIMITS, subject: string): Promise<void> {
  const limiter = env.LIMITER.getByName(`${rule}:${subject.toLowerCase()}`);
  for (let i = 0; i < LIMITS[rule].limit; i++) await limiter.take(LIMITS[rule]);
}

describe("sign-in throttling", () => {
  it("answers 429 with Retry-After after 5 failures for an address, alike for existing and unknown accounts", async () => {
    const tenantId = await createTenant();
    const known = await createUser(tenantId);
    const unknown = `nobody-${crypto.randomUUID()}@example.test`;
    const answers: { retryAfter: number; message: string }[] = [];
    for (const email of [known.email, unknown]) {
      for (let i = 0; i < 5; i++) {
        expect((await loginFrom(email, "wrong password", freshIp())).status).toBe(401);
      }
      // Even the right password is refused now: the check comes before it.
      const refused = await rateLimited(await loginFrom(email, "correct horse battery", freshIp()));
      answers.push({ retryAfter: refused.retryAfter, message: refused.body.error.message });
    }
    expect(answers[0]!.message).toBe(answers[1]!.message);
    expect(Math.abs(answers[0]!.retryAfter - answers[1]!.retryAfter)).toBeLessThanOrEqual(2);
  });

  it("a successful sign-in clears the account's failures", async () => {
    const tenantId = await createTenant();
    const user = await createUser(tenantId);
    const ip = freshIp();
    for (let i = 0; i < 4; i++) {
      expect((await loginFrom(user.email, "wrong password", ip)).status).toBe(401);
    }
    expect((await loginFrom(user.email, "correct horse battery", ip)).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await loginFrom(user.email, "wrong password", ip)).status).toBe(401);
    }
    await rateLimited(await loginFrom(user.email, "wrong password", ip));
  });

  it("throttles one client IP trying many addresses, and answers Italian callers in Italian", async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMITS.loginIp.limit; i++) {
      const res = await loginFrom(`probe-${i}-${crypto.randomUUID()}@example.test`, "guess", ip);
      expect(res.status).toBe(401);
    }
    const tenantId = await createTenant();
    const user = await createUser(tenantId);
    const res = await exports.default.fetch(`${BASE}/auth/login`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "CF-Connecting-IP": ip,
        "Accept-Language": "it",
      },
      body: JSON.stringify({ email: user.email, password: "correct horse battery" }),
    });
    const { body } = await rateLimited(res);
    expect(body.error.message).toMatch(/^Troppi tentativi/);
    // Another IP is not affected.
    expect((await loginFrom(user.email, "correct horse battery", freshIp())).status).toBe(200);
  });
});

describe("link and reset throttling", () => {
  it("throttles guessing invitation or reset links from one IP: the check and the use alike", async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMITS.linkIp.limit; i++) {
      const res = await exports.default.fetch(`${BASE}/auth/token/${"x".repeat(30)}${i}`, {
        headers: { "CF-Connecting-IP": ip },
      });
      expect(res.status).toBe(404);
    }
    await rateLimited(
      await exports.default.fetch(`${BASE}/auth/token/${"y".repeat(30)}`, {
        headers: { "CF-Connecting-IP": ip },
      }),
    );
    await rateLimited(
      await post("/auth/password", { token: "z".repeat(40), password: "a fine new password" }, ip),
    );
  });

  it("throttles reset requests per address, known or not, with the same answer", async () => {
    const tenantId = await createTenant();
    const known = await createUser(tenantId);
    const unknown = `nobody-${crypto.randomUUID()}@example.test`;
    for (const email of [known.email, unknown]) {
      for (let i = 0; i < LIMITS.resetAccount.limit; i++) {
        expect((await post("/auth/password-reset", { email }, freshIp())).status).toBe(202);
      }
      await rateLimited(await post("/auth/password-reset", { email }, freshIp()));
    }
  });

  it("throttles reset requests per client IP", async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMITS.resetIp.limit; i++) {
      const email = `someone-${i}-${crypto.randomUUID()}@example.test`;
      expect((await post("/auth/password-reset", { email }, ip)).status).toBe(202);
    }
    await rateLimited(await post("/auth/password-reset", { email: "another@example.test" }, ip));
  });
});

describe("per-user quotas", () => {
  it("transcript mails, uploads and outbound starts answer 429 once the user's quota is used", async () => {
    const t = await historyTenant({ care: 5 });
    const anna = await deskAgent(t, "Anna", ["care"]);
    const from = phone();
    const closed = await wholeConversation(t, anna, from, ["Buongiorno"], ["Salve"]);
    const id = await takeConversation(t, anna, phone(), "Salve");

    // One quota for every transcript: the open conversation's and both histories'.
    await exhaust("transcriptMail", anna.userId);
    const customerId = await customerIdOf(t.tenantId, from);
    for (const path of [
      `/api/conversations/${id}/email`,
      `/api/my-history/${closed}/email`,
      `/api/customers/${customerId}/conversations/${closed}/email`,
    ]) {
      await rateLimited(await call(anna, "POST", path, { to: "boss@example.test" }));
    }

    await exhaust("upload", anna.userId);
    const form = new FormData();
    form.set("file", new File(["hello"], "note.txt", { type: "text/plain" }));
    const upload = await exports.default.fetch(`${BASE}/api/conversations/${id}/uploads`, {
      method: "POST",
      headers: { Cookie: anna.cookie },
      body: form,
    });
    await rateLimited(upload);

    await exhaust("outboundStart", anna.userId);
    await rateLimited(
      await call(anna, "POST", "/api/outbound", {
        clientId: crypto.randomUUID(),
        customerId: "any",
        numberId: t.numberId,
        message: { type: "text", text: "Hello" },
      }),
    );

    // An administrator proving numbers with Meta (several Graph calls each).
    await exhaust("numberProof", t.admin.userId);
    const proof = await call(t.admin, "POST", "/api/admin/numbers", {
      name: "Another line",
      displayPhone: "+39 02 0000 0000",
      phoneNumberId: "123456789012345",
      wabaId: "987654321098765",
      accessToken: "EAAG-any-token-0000",
    });
    await rateLimited(proof);

    // A colleague's quotas are their own.
    const bruno = await deskAgent(t, "Bruno", ["care"], { ready: false });
    const other = await call(bruno, "POST", "/api/outbound", {
      clientId: crypto.randomUUID(),
      customerId: "nobody",
      numberId: t.numberId,
      message: { type: "text", text: "Hello" },
    });
    expect(other.status).not.toBe(429);
  });
});
