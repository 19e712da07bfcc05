import { describe, expect, it } from "vitest";
import { shapeOf } from "./meter";

describe("shapeOf", () => {
  it("names a statement by its verb and first table", () => {
    expect(shapeOf("SELECT seq FROM messages WHERE id = ?")).toBe("select messages");
    expect(shapeOf("  INSERT OR IGNORE INTO status_log (wamid) VALUES (?)")).toBe(
      "insert status_log",
    );
    expect(shapeOf('update "customers" set "name" = ?')).toBe("update customers");
    expect(shapeOf("DELETE FROM outbox WHERE message_id = ?")).toBe("delete outbox");
    expect(shapeOf("PRAGMA table_info(messages)")).toBe("pragma ?");
  });
});
