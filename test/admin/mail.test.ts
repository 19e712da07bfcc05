/**
 * Mail over SMTP from inside workerd to the real SMTP server on loopback
 * (test/kit/smtp-sink.ts), and the production rules of the mail and operator settings.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type MailConfig, parseConfig } from "../../src/platform/config";
import { invitationMail, sendMail } from "../../src/platform/mail";
import { emailAddress } from "../kit/ids";
import { mailsTo, refuseMailTo } from "../kit/mail";
import { eventually } from "../kit/wait";

const config: MailConfig = {
  host: "127.0.0.1",
  port: Number(env.SMTP_PORT),
  secure: "none",
  credentials: null,
  from: "no-reply@parley.test",
  publicUrl: "https://parley.test",
  timeoutMs: 10_000,
};

describe("sendMail", () => {
  it("delivers an Italian invitation with its link, subject and accents intact", async () => {
    const to = emailAddress("mail");
    const link = "https://parley.test/welcome?token=abcdefghijklmnopqrstuvwxyz0123456789_-";
    const mail = invitationMail(
      "it",
      { email: to, name: "Niccolò Bianchi" },
      { name: "Niccolò", tenantName: "Caffè Roma", inviter: "Ada", link, expiresInDays: 7 },
    );
    expect(await sendMail(config, mail)).toEqual({ ok: true });
    const [received] = await eventually(async () => {
      const list = await mailsTo(to);
      return list.length ? list : null;
    });
    expect(received!.from).toBe("no-reply@parley.test");
    expect(received!.subject).toBe("Invito a Caffè Roma su Parley");
    expect(received!.text).toContain("Ciao Niccolò,");
    expect(received!.text).toContain("scade tra 7 giorni");
    expect(received!.links).toEqual([link]);
    expect(received!.html).toContain(`href="${link}"`);
  });

  it("answers a value, not an exception, when the server refuses the recipient", async () => {
    const to = emailAddress("mail");
    await refuseMailTo(to);
    const mail = invitationMail(
      "en",
      { email: to, name: "X" },
      {
        name: "X",
        tenantName: "T",
        inviter: null,
        link: "https://parley.test/x",
        expiresInDays: 7,
      },
    );
    const result = await sendMail(config, mail);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(/550/);
    expect(await mailsTo(to)).toEqual([]);
  });

  it("answers a value when the server cannot be reached", async () => {
    const result = await sendMail(
      { ...config, port: 1 },
      {
        to: { email: emailAddress("mail"), name: "X" },
        subject: "s",
        text: "t",
        html: "<p>t</p>",
      },
    );
    expect(result.ok).toBe(false);
  });

  it("gives up within its configured time when the server connects but never greets", async () => {
    // The simulator's HTTP port: it accepts the connection and waits for a request, so an
    // SMTP client never gets its 220 greeting.
    const silent = new URL(env.SIM_URL as string);
    const started = Date.now();
    const result = await sendMail(
      { ...config, port: Number(silent.port), timeoutMs: 300 },
      { to: { email: emailAddress("mail"), name: "X" }, subject: "s", text: "t", html: "<p>t</p>" },
    );
    expect(result.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("never lets a name or subject add a header", async () => {
    const to = emailAddress("mail");
    const result = await sendMail(config, {
      to: { email: to, name: 'Eve"\r\nBcc: victim@example.test' },
      subject: "Hello\r\nBcc: victim@example.test",
      text: "body",
      html: "<p>body</p>",
    });
    expect(result).toEqual({ ok: true });
    const [received] = await eventually(async () => {
      const list = await mailsTo(to);
      return list.length ? list : null;
    });
    expect(received!.to).toEqual([to]);
    expect(received!.raw).not.toMatch(/^Bcc:/im);
    expect(received!.subject).toBe("Hello Bcc: victim@example.test");
  });
});

describe("mail and operator configuration", () => {
  const real = {
    ENVIRONMENT: "production",
    GRAPH_API_BASE: "https://graph.facebook.com/v23.0",
    META_APP_SECRET: "0123456789abcdef0123",
    META_VERIFY_TOKEN: "a-long-random-verify-token",
    DATA_KEY: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
  };
  const mail = {
    SMTP_HOST: "smtp.example.com",
    MAIL_FROM: "no-reply@example.com",
    PUBLIC_URL: "https://parley.example.com/",
  };

  it("reads SMTP settings, defaulting to implicit TLS on 465", () => {
    const result = parseConfig({ ...real, ...mail, SMTP_USER: "u", SMTP_PASSWORD: "p" });
    expect(result.ok && result.config.mail).toEqual({
      host: "smtp.example.com",
      port: 465,
      secure: "tls",
      credentials: { username: "u", password: "p" },
      from: "no-reply@example.com",
      publicUrl: "https://parley.example.com",
      timeoutMs: 10_000,
    });
  });

  it("refuses plain-text SMTP, http links and half-configured mail in production", () => {
    const problems = (vars: Record<string, string>) => {
      const r = parseConfig({ ...real, ...vars });
      return r.ok ? [] : r.problems;
    };
    expect(problems({ ...mail, SMTP_SECURE: "none" })).toEqual([
      expect.stringMatching(/^SMTP_SECURE/),
    ]);
    expect(problems({ ...mail, PUBLIC_URL: "http://parley.example.com" })).toEqual([
      expect.stringMatching(/^PUBLIC_URL/),
    ]);
    expect(problems({ SMTP_HOST: "smtp.example.com" })).toHaveLength(2);
    expect(problems({ ...mail, SMTP_USER: "u" })).toEqual([expect.stringMatching(/^SMTP_USER/)]);
    // Outside production, plain SMTP to a local sink is fine.
    expect(
      parseConfig({ ...real, ...mail, ENVIRONMENT: "development", SMTP_SECURE: "none" }).ok,
    ).toBe(true);
  });

  it("refuses the development operator password and short ones in production", () => {
    const op = { OPERATOR_EMAIL: "Ops@Example.com" };
    expect(parseConfig({ ...real, ...op, OPERATOR_PASSWORD: "parley-operator" }).ok).toBe(false);
    expect(parseConfig({ ...real, ...op, OPERATOR_PASSWORD: "short" }).ok).toBe(false);
    expect(parseConfig({ ...real, ...op }).ok).toBe(false);
    const ok = parseConfig({ ...real, ...op, OPERATOR_PASSWORD: "a-long-operator-secret" });
    expect(ok.ok && ok.config.operator).toEqual({
      email: "ops@example.com",
      password: "a-long-operator-secret",
    });
    expect(
      parseConfig({
        ...real,
        ...op,
        ENVIRONMENT: "development",
        OPERATOR_PASSWORD: "parley-operator",
      }).ok,
    ).toBe(true);
  });
});
