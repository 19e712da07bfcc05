import { describe, expect, it } from "vitest";
import { translator } from "../../i18n.ts";
import { type KeyPress, matchShortcut, SHORTCUTS, stepConversation } from "./registry.ts";

const press = (patch: Partial<KeyPress>): KeyPress => ({
  key: "",
  code: "",
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...patch,
});

describe("shortcut registry", () => {
  it("matches Alt combinations anywhere, also while typing", () => {
    for (const typing of [false, true]) {
      expect(matchShortcut(press({ altKey: true, key: "ArrowDown" }), typing)).toEqual({
        action: "next",
      });
      expect(matchShortcut(press({ altKey: true, key: "ArrowUp" }), typing)).toEqual({
        action: "previous",
      });
      // macOS: Alt+A types "å"; the physical key is what counts.
      expect(matchShortcut(press({ altKey: true, key: "å", code: "KeyA" }), typing)).toEqual({
        action: "accept",
      });
      expect(matchShortcut(press({ altKey: true, code: "KeyC" }), typing)?.action).toBe("close");
      expect(matchShortcut(press({ altKey: true, code: "KeyR" }), typing)?.action).toBe("reply");
      expect(matchShortcut(press({ altKey: true, code: "KeyW" }), typing)?.action).toBe("waiting");
      expect(matchShortcut(press({ altKey: true, code: "Digit3" }), typing)).toEqual({
        action: "nth",
        index: 3,
      });
    }
  });

  it("leaves plain keys to text fields and Alt+arrows to a select", () => {
    expect(matchShortcut(press({ key: "?", shiftKey: true }), false)).toEqual({ action: "help" });
    expect(matchShortcut(press({ key: "?", shiftKey: true }), true)).toBeNull();
    expect(matchShortcut(press({ altKey: true, key: "ArrowDown" }), true, true)).toBeNull();
    expect(matchShortcut(press({ key: "a", code: "KeyA" }), false)).toBeNull();
  });

  it("ignores other modifiers and keys", () => {
    expect(matchShortcut(press({ altKey: true, ctrlKey: true, code: "KeyA" }), false)).toBeNull();
    expect(matchShortcut(press({ altKey: true, metaKey: true, code: "KeyA" }), false)).toBeNull();
    expect(matchShortcut(press({ altKey: true, shiftKey: true, code: "KeyA" }), false)).toBeNull();
    expect(matchShortcut(press({ altKey: true, code: "KeyZ" }), false)).toBeNull();
    expect(matchShortcut(press({ altKey: true, code: "Digit0" }), false)).toBeNull();
    // Ctrl+Enter is the composer's own (it sends): the registry only documents it.
    expect(matchShortcut(press({ ctrlKey: true, key: "Enter", code: "Enter" }), true)).toBeNull();
  });

  it("lists every shortcut with a label in both languages", () => {
    const actions = new Set(SHORTCUTS.map((s) => s.action));
    for (const action of [
      "next",
      "previous",
      "nth",
      "accept",
      "close",
      "reply",
      "waiting",
      "help",
    ]) {
      expect(actions.has(action as never), action).toBe(true);
    }
    for (const language of ["en", "it"] as const) {
      const t = translator(language);
      for (const shortcut of SHORTCUTS) expect(t(shortcut.label), shortcut.id).toBeTruthy();
    }
  });
});

describe("next and previous conversation", () => {
  const ids = ["a", "b", "c"];

  it("steps and wraps around at both ends", () => {
    expect(stepConversation(ids, "a", 1)).toBe("b");
    expect(stepConversation(ids, "c", 1)).toBe("a");
    expect(stepConversation(ids, "a", -1)).toBe("c");
    expect(stepConversation(ids, "b", -1)).toBe("a");
  });

  it("starts from the first or the last when nothing (or a gone one) is selected", () => {
    expect(stepConversation(ids, null, 1)).toBe("a");
    expect(stepConversation(ids, null, -1)).toBe("c");
    expect(stepConversation(ids, "gone", 1)).toBe("a");
    expect(stepConversation([], "a", 1)).toBeNull();
    expect(stepConversation(["a"], "a", 1)).toBe("a");
  });
});
