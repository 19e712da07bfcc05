/**
 * A number's softbot settings through the real Worker and D1: saved and read
 * back under the number's version, invalid values named by field with nothing
 * stored, the style's option limits (reply buttons 3, list 10) against the
 * number's bot-labelled skillsets, and tenancy.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BotSettings, NumberView } from "../../src/shared/admin";
import { botMenu } from "../../src/shared/admin";
import { defaultNumberSettings } from "../../src/shared/number-settings";
import { createNumber, createSkillset } from "../kit/admin";
import {
  adminSession,
  agentSession,
  badFields,
  call,
  callJson,
  type ErrorBody,
  type Session,
} from "../kit/session";

const BOT: BotSettings = {
  enabled: true,
  prompt: "Ciao! Di cosa hai bisogno?",
  style: "buttons",
  invalidChoice: "Non ho capito.",
  timeoutSeconds: 120,
};

/** PATCHes only `bot` with the number's version, in the caller's `language`. */
function saveBot(session: Session, number: NumberView, bot: unknown, language = "en") {
  return call(
    session,
    "PATCH",
    `/api/admin/numbers/${number.id}`,
    { version: number.version, bot },
    { "Accept-Language": language },
  );
}

async function storedSettings(id: string): Promise<{ bot?: BotSettings; version: number }> {
  const row = await env.DB.prepare("SELECT settings, version FROM managed_numbers WHERE id = ?")
    .bind(id)
    .first<{ settings: string; version: number }>();
  return { ...(JSON.parse(row!.settings) as { bot?: BotSettings }), version: row!.version };
}

/** A number with `labels.length` skillsets labelled for the bot (and one unlabelled). */
async function numberWithLabels(admin: Session, labels: string[]): Promise<NumberView> {
  const number = await createNumber(admin);
  await createSkillset(admin, number.id, { name: "Unlabelled", isDefault: true });
  for (const [i, botLabel] of labels.entries()) {
    await createSkillset(admin, number.id, { name: `S${i}`, priority: 1 + (i % 9), botLabel });
  }
  return number;
}

describe("softbot settings: save and read back", () => {
  it("a new number has the bot off; a save is read back, bumps the version and keeps the rest", async () => {
    const admin = await adminSession();
    const number = await numberWithLabels(admin, ["Sales", "Support"]);
    expect(number.settings.bot).toEqual(defaultNumberSettings().bot);
    expect(number.settings.bot.enabled).toBe(false);

    const res = await saveBot(admin, number, BOT);
    expect(res.status).toBe(200);
    const saved = (await res.json()) as NumberView;
    expect(saved.settings.bot).toEqual(BOT);
    expect(saved.version).toBe(number.version + 1);
    expect(saved.settings.messages).toEqual(number.settings.messages);

    const read = await callJson<NumberView>(
      admin,
      "GET",
      `/api/admin/numbers/${number.id}`,
      undefined,
      200,
    );
    expect(read.settings.bot).toEqual(BOT);
    expect((await storedSettings(number.id)).bot).toEqual(BOT);

    // Blank invalid-choice text is stored as "no message".
    const again = await callJson<NumberView>(
      admin,
      "PATCH",
      `/api/admin/numbers/${number.id}`,
      { version: saved.version, bot: { ...BOT, invalidChoice: "   ", style: "text" } },
      200,
    );
    expect(again.settings.bot.invalidChoice).toBeNull();
    expect(again.settings.bot.style).toBe("text");
  });

  it("a stale version gets 409 and stores nothing", async () => {
    const admin = await adminSession();
    const number = await numberWithLabels(admin, ["Sales"]);
    await callJson(
      admin,
      "PATCH",
      `/api/admin/numbers/${number.id}`,
      { version: number.version, messages: number.settings.messages },
      200,
    );
    const res = await saveBot(admin, number, BOT);
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.code).toBe("conflict");
    expect((await storedSettings(number.id)).bot?.enabled ?? false).toBe(false);
  });
});

describe("softbot settings: validation", () => {
  it("names every invalid field and stores nothing", async () => {
    const admin = await adminSession();
    const number = await numberWithLabels(admin, []);
    const before = await storedSettings(number.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ prompt: "" }, "bot.prompt"],
      [{ prompt: "x".repeat(1025) }, "bot.prompt"],
      [{ style: "carousel" }, "bot.style"],
      [{ timeoutSeconds: 5 }, "bot.timeoutSeconds"],
      [{ timeoutSeconds: 24 * 60 * 60 + 1 }, "bot.timeoutSeconds"],
      [{ timeoutSeconds: 30.5 }, "bot.timeoutSeconds"],
      [{ enabled: "yes" }, "bot.enabled"],
    ];
    for (const [change, path] of cases) {
      const res = await saveBot(admin, number, { ...BOT, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(await badFields(res)).toEqual([path]);
    }
    const { enabled: _, ...withoutEnabled } = BOT;
    expect(await badFields(await saveBot(admin, number, withoutEnabled))).toEqual(["bot.enabled"]);
    expect(await storedSettings(number.id)).toEqual(before);
  });
});

describe("softbot settings: the style's option limits", () => {
  it("reply buttons take at most 3 labelled skillsets; a list 10; numbered text any number", async () => {
    const admin = await adminSession();
    const four = await numberWithLabels(admin, ["One", "Two", "Three", "Four"]);

    const refused = await saveBot(admin, four, { ...BOT, style: "buttons" });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error.fields?.map((f) => f.path)).toEqual(["bot.style"]);
    expect(body.error.message).toContain("at most 3 options");
    expect(body.error.message).toContain("4 skillsets");
    expect((await storedSettings(four.id)).bot?.enabled ?? false).toBe(false);

    // The same menu fits a list and numbered text; a disabled bot is never refused.
    let version = four.version;
    for (const bot of [
      { ...BOT, style: "list" },
      { ...BOT, style: "text" },
      { ...BOT, style: "buttons", enabled: false },
    ]) {
      const saved = await callJson<NumberView>(
        admin,
        "PATCH",
        `/api/admin/numbers/${four.id}`,
        { version, bot },
        200,
      );
      expect(saved.settings.bot).toEqual(bot);
      version = saved.version;
    }

    const eleven = await numberWithLabels(
      admin,
      Array.from({ length: 11 }, (_, i) => `Topic ${i + 1}`),
    );
    const tooMany = await saveBot(admin, eleven, { ...BOT, style: "list" });
    expect(tooMany.status).toBe(400);
    const listBody = (await tooMany.json()) as ErrorBody;
    expect(listBody.error.fields?.map((f) => f.path)).toEqual(["bot.style"]);
    expect(listBody.error.message).toContain("at most 10 options");
    const asText = await saveBot(admin, eleven, { ...BOT, style: "text" });
    expect(asText.status).toBe(200);
  });

  it("exactly 3 buttons pass; a label longer than a button's 20 characters is refused; Italian callers read Italian", async () => {
    const admin = await adminSession();
    const three = await numberWithLabels(admin, ["Vendite", "Assistenza", "Fatture"]);
    expect((await saveBot(admin, three, BOT)).status).toBe(200);

    const long = await numberWithLabels(admin, ["Assistenza tecnica 24h"]);
    const res = await saveBot(admin, long, BOT);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.fields?.map((f) => f.path)).toEqual(["bot.style"]);
    expect(body.error.message).toContain("20 characters");
    expect(body.error.message).toContain("Assistenza tecnica 24h");
    // A list row takes 24 characters: the same label fits.
    expect((await saveBot(admin, long, { ...BOT, style: "list" })).status).toBe(200);

    const four = await numberWithLabels(admin, ["Uno", "Due", "Tre", "Quattro"]);
    const italian = await saveBot(admin, four, BOT, "it");
    expect(italian.status).toBe(400);
    const itBody = (await italian.json()) as ErrorBody;
    expect(itBody.error.fields).toEqual([
      { path: "bot.style", message: expect.stringContaining("al massimo 3 opzioni") },
    ]);
  });

  it("the menu's order: higher priority first, then by name as SQLite orders it, only labelled skillsets", async () => {
    const menu = botMenu([
      { id: "1", name: "alpha", priority: 5, botLabel: "a" },
      { id: "2", name: "Beta", priority: 5, botLabel: "B" },
      { id: "3", name: "Top", priority: 9, botLabel: "T" },
      { id: "4", name: "Hidden", priority: 9, botLabel: null },
      { id: "5", name: "Low", priority: 1, botLabel: "L" },
    ]);
    expect(menu.map((s) => s.name)).toEqual(["Top", "Beta", "alpha", "Low"]);
    // The same order as the number actor's query over the stored skillsets.
    const admin = await adminSession();
    const number = await createNumber(admin);
    for (const s of menu) {
      await createSkillset(admin, number.id, {
        name: s.name,
        priority: s.priority,
        botLabel: s.botLabel,
      });
    }
    const { results } = await env.DB.prepare(
      "SELECT name FROM skillsets WHERE number_id = ? AND bot_label IS NOT NULL ORDER BY priority DESC, name, id",
    )
      .bind(number.id)
      .all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(menu.map((s) => s.name));
  });
});

describe("softbot settings: tenancy and roles", () => {
  it("another tenant's number is 404 and unchanged; agents get 403", async () => {
    const owner = await adminSession();
    const number = await numberWithLabels(owner, ["Sales"]);
    const stranger = await adminSession();
    const res = await saveBot(stranger, number, BOT);
    expect(res.status).toBe(404);
    const agent = await agentSession(owner.tenantId);
    expect((await saveBot(agent, number, BOT)).status).toBe(403);
    const stored = await storedSettings(number.id);
    expect(stored.version).toBe(number.version);
    expect(stored.bot?.enabled ?? false).toBe(false);
  });
});
