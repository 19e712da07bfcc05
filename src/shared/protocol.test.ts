import { describe, expect, it } from "vitest";
import { CUSTOMER_WINDOW_MS, customerWindowOpen } from "./protocol";

describe("customerWindowOpen", () => {
  const last = Date.UTC(2026, 2, 28, 23, 30); // the night Europe changes to summer time
  it("is open until 24 hours after the customer's last message, to the millisecond", () => {
    expect(customerWindowOpen(last, last)).toBe(true);
    expect(customerWindowOpen(last, last + CUSTOMER_WINDOW_MS - 1)).toBe(true);
    expect(customerWindowOpen(last, last + CUSTOMER_WINDOW_MS)).toBe(false);
    expect(customerWindowOpen(last, last + 2 * CUSTOMER_WINDOW_MS)).toBe(false);
  });
  it("is closed when the customer never wrote (a conversation we started)", () => {
    expect(customerWindowOpen(null, last)).toBe(false);
  });
});
