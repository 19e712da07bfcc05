import { describe, expect, it } from "vitest";
import { errorId, errorsUnder, fieldDomId, fieldErrors, isEmpty } from "./errors.ts";

describe("fieldErrors", () => {
  it("maps each issue to its path; the first message of a path wins", () => {
    expect(
      fieldErrors([
        { path: "email", message: "Invalid email" },
        { path: "email", message: "second" },
        { path: "memberships.0.skillsetId", message: "No such skillset" },
      ]),
    ).toEqual({ email: "Invalid email", "memberships.0.skillsetId": "No such skillset" });
  });

  it("strips the request's envelope so fields are named as in the contract", () => {
    expect(
      fieldErrors(
        [
          { path: "details.name", message: "Required" },
          { path: "version", message: "Expected number" },
          { path: "detailsX", message: "not under the prefix" },
        ],
        "details",
      ),
    ).toEqual({ name: "Required", version: "Expected number", detailsX: "not under the prefix" });
  });

  it("keeps deep paths such as working-time ranges", () => {
    expect(
      fieldErrors([{ path: "workingTime.week.mon.1.close", message: "HH:MM" }], "workingTime"),
    ).toEqual({ "week.mon.1.close": "HH:MM" });
  });
});

describe("errorsUnder / isEmpty / ids", () => {
  it("gives a sub-editor its own relative paths", () => {
    const errors = { "members.0.userId": "a", "members.2.agentPriority": "b", name: "c" };
    expect(errorsUnder(errors, "members")).toEqual({ "0.userId": "a", "2.agentPriority": "b" });
    expect(isEmpty(errorsUnder(errors, "memberships"))).toBe(true);
  });

  it("makes DOM ids that are safe in selectors and aria-describedby", () => {
    expect(fieldDomId("f1", "members.0.userId")).toBe("f1-members_0_userId");
    expect(errorId("f1", "endOfDay.waitQueue")).toBe("f1-err-endOfDay_waitQueue");
  });
});
