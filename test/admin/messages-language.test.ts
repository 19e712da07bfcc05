/**
 * Validation messages follow the caller's language (the UI sends it as
 * Accept-Language): the generic ones, written for people (never the library's
 * "Too small: expected string to have >=1 characters"), and our own, in Italian or English.
 */
import { describe, expect, it } from "vitest";
import { adminSession, call, type ErrorBody } from "../kit/session";

/** Creates an invalid number in `language`; the refusal's messages by field. */
async function refusedNumberFields(cookie: string, language: string) {
  const res = await call(
    cookie,
    "POST",
    "/api/admin/numbers",
    { name: "", displayPhone: "+39 02 1234", phoneNumberId: "12ab" },
    { "Accept-Language": language },
  );
  expect(res.status).toBe(400);
  const body = (await res.json()) as ErrorBody;
  return Object.fromEntries((body.error.fields ?? []).map((f) => [f.path, f.message]));
}

describe("validation messages", () => {
  it("come back in Italian for an Italian UI and in English otherwise", async () => {
    const admin = await adminSession();
    const it_ = await refusedNumberFields(admin.cookie, "it");
    expect(it_.phoneNumberId).toBe("solo cifre, come le mostra Meta");
    expect(it_.name).toBe("Compila questo campo.");
    const en = await refusedNumberFields(admin.cookie, "en-GB,en;q=0.8");
    expect(en.phoneNumberId).toBe("digits only, as Meta shows it");
    expect(en.name).toBe("Fill this in.");
  });
});
