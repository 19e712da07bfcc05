/**
 * The softbot's menu and how a customer's answer is read, pure. The menu
 * offers the number's skillsets that have a bot label (BotSettings in
 * shared/admin.ts); the customer answers with the option's number, its label,
 * or by tapping a reply button / list row whose id names the skillset.
 */

import type { OutboundContent } from "../../meta/graph";
import type { BotSettings } from "../../shared/admin";

export interface BotOption {
  skillsetId: string;
  label: string;
}

/** Meta's limits: 3 reply buttons of 20 characters; 10 list rows of 24. */
const BUTTONS_MAX = 3;
const BUTTON_TITLE_MAX = 20;
const LIST_ROWS_MAX = 10;
const ROW_TITLE_MAX = 24;
const ID_PREFIX = "bot:";

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The numbered text form of the menu, also the description of interactive menus. */
export function menuText(bot: BotSettings, options: readonly BotOption[]): string {
  return [bot.prompt, "", ...options.map((o, i) => `${i + 1}. ${o.label}`)].join("\n");
}

/**
 * The menu as it is sent. Buttons and lists fall back to numbered text when
 * there are more options than Meta allows for them.
 */
export function menuContent(bot: BotSettings, options: readonly BotOption[]): OutboundContent {
  if (bot.style === "buttons" && options.length <= BUTTONS_MAX) {
    return {
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: bot.prompt },
        action: {
          buttons: options.map((o) => ({
            type: "reply",
            reply: { id: `${ID_PREFIX}${o.skillsetId}`, title: clip(o.label, BUTTON_TITLE_MAX) },
          })),
        },
      },
    };
  }
  if (bot.style === "list" && options.length <= LIST_ROWS_MAX) {
    return {
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: bot.prompt },
        action: {
          button: "Choose",
          sections: [
            {
              title: "Topics",
              rows: options.map((o) => ({
                id: `${ID_PREFIX}${o.skillsetId}`,
                title: clip(o.label, ROW_TITLE_MAX),
              })),
            },
          ],
        },
      },
    };
  }
  return { type: "text", text: menuText(bot, options) };
}

/** The reply id of a tapped button or list row, if the message is one. */
function replyId(payload: unknown): string | null {
  if (typeof payload !== "object" || payload === null) return null;
  const p = payload as Record<string, { id?: unknown } | undefined>;
  const id = p.button_reply?.id ?? p.list_reply?.id;
  return typeof id === "string" ? id : null;
}

/**
 * The skillset a customer's answer chooses, or null when it matches no option:
 * a tapped button or row of our menu, the option's number ("2", "2."), or its
 * label (case and surrounding spaces ignored).
 */
export function parseChoice(
  answer: { type: string; text: string; payload: unknown },
  options: readonly BotOption[],
): string | null {
  if (answer.type === "interactive") {
    const id = replyId(answer.payload);
    if (id?.startsWith(ID_PREFIX)) {
      const skillsetId = id.slice(ID_PREFIX.length);
      if (options.some((o) => o.skillsetId === skillsetId)) return skillsetId;
    }
  }
  const text = answer.text.trim().toLowerCase();
  const number = /^(\d{1,2})[.)]?$/.exec(text);
  if (number) return options[Number(number[1]) - 1]?.skillsetId ?? null;
  const byLabel = options.find((o) => o.label.trim().toLowerCase() === text);
  return byLabel?.skillsetId ?? null;
}
