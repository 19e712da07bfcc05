import { describe, expect, it } from "vitest";
import { firstError, joinPath, scopedField } from "./scope.ts";

describe("editor scope", () => {
  it("joins paths without a leading dot", () => {
    expect(joinPath("", "week", "mon", 0, "open")).toBe("week.mon.0.open");
    expect(joinPath("workingTime", "timeZone")).toBe("workingTime.timeZone");
  });

  it("finds a control's error and ids", () => {
    const errors = { "week.mon.1.close": "bad time" };
    const field = scopedField("f1", errors, "week.mon.1.close");
    expect(field.error).toBe("bad time");
    expect(field.invalid).toBe(true);
    expect(field.id).toBe("f1-week_mon_1_close");
    expect(field.describedBy).toBe(field.errId);
    const clean = scopedField("f1", errors, "week.mon.0.close");
    expect(clean.invalid).toBeUndefined();
    expect(clean.describedBy).toBeUndefined();
  });

  it("takes the first error of several paths", () => {
    expect(firstError({ b: "B", c: "C" }, ["a", "c", "b"])).toBe("C");
    expect(firstError({}, ["a"])).toBeUndefined();
  });
});
