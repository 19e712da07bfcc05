import { describe, expect, it } from "vitest";
import { DEV_DATA_KEY, isDataKey, parseConfig } from "./config";
import { openSecret, sealOptional, sealSecret } from "./secrets";

const OTHER_KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const TOKEN = "EAAG-a-real-looking-access-token-0123456789";

describe("secrets at rest", () => {
  it("seal with a fresh IV each time and open again", async () => {
    const a = await sealSecret(DEV_DATA_KEY, "managed_numbers.access_token", TOKEN);
    const b = await sealSecret(DEV_DATA_KEY, "managed_numbers.access_token", TOKEN);
    expect(a).toMatch(/^v1\./);
    expect(a).not.toBe(b);
    expect(a).not.toContain(TOKEN);
    expect(await openSecret(DEV_DATA_KEY, "managed_numbers.access_token", a)).toBe(TOKEN);
    expect(await openSecret(DEV_DATA_KEY, "managed_numbers.access_token", b)).toBe(TOKEN);
  });

  it("do not open under another key, in another column, or when damaged", async () => {
    const sealed = await sealSecret(DEV_DATA_KEY, "managed_numbers.app_secret", "s3cret");
    expect(await openSecret(OTHER_KEY, "managed_numbers.app_secret", sealed)).toBeNull();
    expect(await openSecret(DEV_DATA_KEY, "managed_numbers.access_token", sealed)).toBeNull();
    const damaged = `${sealed.slice(0, -4)}AAAA`;
    expect(await openSecret(DEV_DATA_KEY, "managed_numbers.app_secret", damaged)).toBeNull();
    expect(await openSecret(DEV_DATA_KEY, "managed_numbers.app_secret", "v1.%%%")).toBeNull();
  });

  it("read values stored before sealing as they are, and keep nothing as nothing", async () => {
    expect(await openSecret(DEV_DATA_KEY, "managed_numbers.access_token", "legacy-token")).toBe(
      "legacy-token",
    );
    expect(await openSecret(DEV_DATA_KEY, "managed_numbers.access_token", null)).toBeNull();
    expect(await sealOptional(DEV_DATA_KEY, "managed_numbers.app_secret", null)).toBeNull();
    expect(
      await sealOptional(DEV_DATA_KEY, "managed_numbers.app_secret", undefined),
    ).toBeUndefined();
  });

  it("need a key of 32 bytes, and production its own", () => {
    expect(isDataKey(DEV_DATA_KEY)).toBe(true);
    expect(isDataKey(btoa("too short"))).toBe(false);
    expect(isDataKey("not base64!")).toBe(false);
    const production = {
      ENVIRONMENT: "production",
      GRAPH_API_BASE: "https://graph.facebook.com/v23.0",
      META_APP_SECRET: "0123456789abcdef0123",
      META_VERIFY_TOKEN: "a-long-random-verify-token",
    };
    for (const DATA_KEY of [undefined, DEV_DATA_KEY, btoa("short")]) {
      const result = parseConfig({ ...production, DATA_KEY });
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).toContain("DATA_KEY");
    }
    expect(parseConfig({ ...production, DATA_KEY: OTHER_KEY }).ok).toBe(true);
    expect(
      parseConfig({ ENVIRONMENT: "development", GRAPH_API_BASE: "http://127.0.0.1:1/v23.0" }),
    ).toMatchObject({
      ok: true,
      config: { dataKey: DEV_DATA_KEY },
    });
  });
});
