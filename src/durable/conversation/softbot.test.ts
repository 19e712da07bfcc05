import { describe, expect, it } from "vitest";
import { defaultNumberSettings } from "../../shared/number-settings";
import { menuContent, menuText, parseChoice } from "./softbot";

const options = [
  { skillsetId: "s-sales", label: "Acquisti" },
  { skillsetId: "s-help", label: "Assistenza tecnica e resi" },
];
const bot = { ...defaultNumberSettings().bot, prompt: "Come possiamo aiutarti?" };

describe("softbot", () => {
  it("numbers the options in text form", () => {
    expect(menuText(bot, options)).toBe(
      "Come possiamo aiutarti?\n\n1. Acquisti\n2. Assistenza tecnica e resi",
    );
    expect(menuContent(bot, options)).toEqual({ type: "text", text: menuText(bot, options) });
  });

  it("makes reply buttons within Meta's limits, and falls back to text beyond three", () => {
    const content = menuContent({ ...bot, style: "buttons" }, options);
    expect(content.type).toBe("interactive");
    const buttons = (
      content as unknown as {
        interactive: { action: { buttons: { reply: { id: string; title: string } }[] } };
      }
    ).interactive.action.buttons;
    expect(buttons.map((b) => b.reply)).toEqual([
      { id: "bot:s-sales", title: "Acquisti" },
      { id: "bot:s-help", title: "Assistenza tecnica …" },
    ]);
    const four = [...options, ...options].map((o, i) => ({ ...o, skillsetId: `s${i}` }));
    expect(menuContent({ ...bot, style: "buttons" }, four).type).toBe("text");
    expect(menuContent({ ...bot, style: "list" }, four).type).toBe("interactive");
  });

  it("reads a number, a label, or our own reply id; anything else is no choice", () => {
    const text = (t: string) => ({ type: "text", text: t, payload: null });
    expect(parseChoice(text("1"), options)).toBe("s-sales");
    expect(parseChoice(text(" 2. "), options)).toBe("s-help");
    expect(parseChoice(text("acquisti"), options)).toBe("s-sales");
    expect(parseChoice(text("3"), options)).toBeNull();
    expect(parseChoice(text("vorrei info"), options)).toBeNull();
    const tap = (id: string) => ({
      type: "interactive",
      text: "whatever",
      payload: { type: "button_reply", button_reply: { id, title: "x" } },
    });
    expect(parseChoice(tap("bot:s-help"), options)).toBe("s-help");
    expect(parseChoice(tap("bot:s-unknown"), options)).toBeNull();
  });
});
