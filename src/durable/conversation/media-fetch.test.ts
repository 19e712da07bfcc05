import { describe, expect, it } from "vitest";
import { DEFAULT_MEDIA_HOSTS, parseConfig } from "../../platform/config";
import { mediaUrlAllowed } from "./media-fetch";

const meta = { hosts: DEFAULT_MEDIA_HOSTS.split(","), allowHttp: false };
const allowed = (url: string, policy = meta) => mediaUrlAllowed(new URL(url), policy);

describe("mediaUrlAllowed", () => {
  it("allows Meta's media hosts over https, and any subdomain of a .domain entry", () => {
    expect(allowed("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1")).toBe(true);
    expect(allowed("https://scontent.xx.fbcdn.net/v/t61/file.jpg")).toBe(true);
    expect(allowed("https://mmg.whatsapp.net/d/f/abc.enc")).toBe(true);
    expect(allowed("https://LOOKASIDE.FBSBX.COM/x")).toBe(true);
  });

  it("refuses other hosts, look-alikes, plain http and credentials in the URL", () => {
    expect(allowed("https://example.com/file.jpg")).toBe(false);
    expect(allowed("https://fbcdn.net.evil.example/file.jpg")).toBe(false);
    expect(allowed("https://evilfbcdn.net/file.jpg")).toBe(false);
    expect(allowed("https://fbcdn.net/file.jpg")).toBe(false);
    expect(allowed("https://sub.lookaside.fbsbx.com/x")).toBe(false);
    expect(allowed("http://lookaside.fbsbx.com/x")).toBe(false);
    expect(allowed("https://user:pw@lookaside.fbsbx.com/x")).toBe(false);
    expect(allowed("ftp://lookaside.fbsbx.com/x")).toBe(false);
  });

  it("allows plain http only where the configuration does (development, tests)", () => {
    const local = { hosts: ["127.0.0.1"], allowHttp: true };
    expect(allowed("http://127.0.0.1:8788/media-download/1", local)).toBe(true);
    expect(allowed("http://localhost:8788/media-download/1", local)).toBe(false);
  });
});

describe("media configuration", () => {
  const production = {
    ENVIRONMENT: "production",
    GRAPH_API_BASE: "https://graph.facebook.com/v23.0",
    META_APP_SECRET: "0123456789abcdef0123",
    META_VERIFY_TOKEN: "a-verify-token-of-length",
    DATA_KEY: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
  };

  it("defaults to Meta's media hosts, https only, and sane deadlines", () => {
    const r = parseConfig(production);
    expect(r.ok && r.config).toMatchObject({
      mediaHosts: ["lookaside.fbsbx.com", ".fbcdn.net", ".whatsapp.net"],
      mediaAllowHttp: false,
      graphTimeoutMs: 15_000,
      mediaTimeoutMs: 30_000,
      sendConfirmWaitMs: 180_000,
    });
  });

  it("reads MEDIA_HOSTS as a list and names the variable when an entry is not a host", () => {
    const r = parseConfig({ ...production, MEDIA_HOSTS: " Media.Example.com , .cdn.example " });
    expect(r.ok && r.config.mediaHosts).toEqual(["media.example.com", ".cdn.example"]);
    const bad = parseConfig({ ...production, MEDIA_HOSTS: "https://x.example/" });
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^MEDIA_HOSTS/)]);
  });
});
