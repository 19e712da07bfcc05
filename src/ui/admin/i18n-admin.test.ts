import { describe, expect, it } from "vitest";
import { DESKTOP_KEYS, translator } from "../i18n.ts";
import { adminEn, adminIt } from "./i18n-admin.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("admin dictionary", () => {
  it("has the same keys in English and Italian, none empty", () => {
    expect(Object.keys(adminIt).sort()).toEqual(Object.keys(adminEn).sort());
    for (const [key, text] of Object.entries(adminIt)) expect(text.trim(), key).not.toBe("");
  });

  it("uses the same placeholders in both languages", () => {
    for (const [key, text] of Object.entries(adminEn)) {
      expect(placeholders(adminIt[key as keyof typeof adminIt]), key).toEqual(placeholders(text));
    }
  });

  it("never shadows a desktop string", () => {
    const desktop = new Set(DESKTOP_KEYS);
    expect(Object.keys(adminEn).filter((key) => desktop.has(key))).toEqual([]);
  });

  it("is reachable through the app's translator", () => {
    expect(translator("it")("user.invited", { email: "a@b.co" })).toBe("Invito inviato a a@b.co");
    expect(translator("en")("login.title")).toBe("Sign in");
  });
});
