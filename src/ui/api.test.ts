import { describe, expect, it } from "vitest";
import { ApiError, errorOfAnswer } from "./api.ts";

describe("errorOfAnswer", () => {
  it("reads the server's error body: its code, message and each named field", () => {
    const error = errorOfAnswer(400, "Bad Request", {
      error: {
        code: "invalid_request",
        message: "Invalid body: email: Invalid email address",
        fields: [{ path: "email", message: "Invalid email address" }],
      },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_request",
      message: "Invalid body: email: Invalid email address",
      fields: [{ path: "email", message: "Invalid email address" }],
    });
  });

  it("has no fields when the body names none", () => {
    const error = errorOfAnswer(409, "Conflict", { error: { code: "closed", message: "Closed" } });
    expect(error).toMatchObject({ status: 409, code: "closed", message: "Closed", fields: [] });
  });

  it("falls back to the status when the answer is not our error body (a proxy's page, no JSON)", () => {
    expect(errorOfAnswer(502, "Bad Gateway", undefined)).toMatchObject({
      status: 502,
      code: "http_502",
      message: "Bad Gateway",
      fields: [],
    });
    expect(errorOfAnswer(500, "Internal Server Error", { message: "oops" })).toMatchObject({
      code: "http_500",
      message: "Internal Server Error",
    });
  });
});
