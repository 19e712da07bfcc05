/**
 * Managed numbers and their seven settings categories: details, auto-close,
 * messages and working time here (one version per number; each category saves
 * on its own), credentials write-only; customer properties, profiling and
 * skillsets in their own files, mounted below.
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import { inOneBatch } from "../../../platform/db/batch";
import { type D1Statement, d1 } from "../../../platform/db/d1";
import {
  customerProperties,
  customers,
  managedNumbers,
  profilingNodes,
  skillsetMembers,
  skillsets as skillsetsTable,
  templates,
} from "../../../platform/db/schema";
import { sealOptional, sealSecret } from "../../../platform/secrets";
import {
  BOT_STYLE_LIMITS,
  type BotSettings,
  botMenu,
  CreateNumberBody,
  NumberCredentialsBody,
  type NumberDetails,
  NumberView,
  UpdateNumberBody,
} from "../../../shared/admin";
import {
  alwaysOpenWorkingTime,
  defaultNumberExtras,
  defaultNumberSettings,
  NumberExtras,
  readSettings,
  type StoredSettings,
} from "../../../shared/number-settings";
import { workingTimeProblems } from "../../../shared/working-time";
import type { AppEnv } from "../../app/app-types";
import { apiError, languageOf } from "../../app/http";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { takeQuota } from "../../security/limits";
import { deleteOwned, type ListSpec, mountList, saveVersioned } from "./common";
import { requireProof } from "./number-proof";
import { numbersChanged } from "./number-scope";
import {
  claimWaba,
  isGuardFailure,
  isPhoneNumberIdClash,
  NUMBER_FIELDS,
  type NumberRow,
  numberRow,
  numberView,
  phoneNumberIdTaken,
  releaseWaba,
  settingsJson,
  storedAccessToken,
  wabaHeldByOther,
  wabaTaken,
} from "./number-store";
import { profiling } from "./profiling";
import { properties } from "./properties";
import { skillsets } from "./skillsets";

const TAG = "admin: managed numbers";
const NOUN = "managed number";
const Id = z.object({ id: z.string().min(1).max(100) });

const list: ListSpec<typeof NUMBER_FIELDS, NumberView> = {
  name: "numbers",
  tag: TAG,
  access: "admin",
  summary: "Managed numbers (search name, display phone, phone number ID, external ID)",
  view: NumberView,
  table: managedNumbers,
  fields: NUMBER_FIELDS,
  where: (c) => eq(managedNumbers.tenantId, c.var.user.tenantId),
  search: [
    managedNumbers.name,
    managedNumbers.displayPhone,
    managedNumbers.phoneNumberId,
    sql`json_extract(${managedNumbers.settings}, '$.details.externalId')`,
  ],
  sorts: {
    name: sql`${managedNumbers.name} COLLATE NOCASE`,
    displayPhone: managedNumbers.displayPhone,
    createdAt: managedNumbers.createdAt,
  },
  toView: numberView,
  columns: [
    { header: "Name", value: (v) => v.name, width: 30 },
    { header: "Display phone", value: (v) => v.displayPhone },
    { header: "Phone number ID", value: (v) => v.phoneNumberId },
    { header: "WABA ID", value: (v) => v.wabaId },
    { header: "External ID", value: (v) => v.externalId },
    { header: "Time zone", value: (v) => v.settings.workingTime.timeZone },
    { header: "Open 24/7", value: (v) => (v.settings.workingTime.alwaysOpen ? "yes" : "no") },
    { header: "Access token set", value: (v) => (v.hasAccessToken ? "yes" : "no") },
    // Text, not a Date cell: the shared xlsx writer has no date format configured.
    {
      header: "Created (UTC)",
      value: (v) => new Date(v.createdAt).toISOString().slice(0, 16).replace("T", " "),
    },
  ],
};

/** Only the keys that are present: zod leaves absent optional keys out, but be explicit. */
function present<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function requireValidWorkingTime(settings: StoredSettings): void {
  const problems = workingTimeProblems(settings.workingTime);
  if (problems.length > 0) {
    apiError(
      400,
      "invalid_request",
      `Invalid body: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      problems,
    );
  }
}

const STYLE_SHOWS = {
  text: { en: "Numbered text shows", it: "Il testo numerato mostra" },
  buttons: { en: "Reply buttons show", it: "I pulsanti di risposta mostrano" },
  list: { en: "A list shows", it: "Un elenco mostra" },
} as const;

/**
 * An enabled softbot must fit its style: WhatsApp shows at most 3 reply buttons
 * (titles up to 20 characters) and 10 list rows, so a menu that does not fit
 * is refused here (400 naming `bot.style`) rather than failing at Meta later.
 */
async function requireBotFitsStyle(
  db: D1Database,
  tenantId: string,
  numberId: string,
  bot: BotSettings,
  italian: boolean,
): Promise<void> {
  const limits = BOT_STYLE_LIMITS[bot.style];
  if (!bot.enabled || limits.maxOptions === null) return;
  const results = await d1(db)
    .select({
      name: skillsetsTable.name,
      priority: skillsetsTable.priority,
      botLabel: skillsetsTable.botLabel,
    })
    .from(skillsetsTable)
    .where(
      and(
        eq(skillsetsTable.tenantId, tenantId),
        eq(skillsetsTable.numberId, numberId),
        isNotNull(skillsetsTable.botLabel),
      ),
    );
  const menu = botMenu(results);
  const style = STYLE_SHOWS[bot.style][italian ? "it" : "en"];
  let message: string | null = null;
  if (menu.length > limits.maxOptions) {
    message = italian
      ? `${style} al massimo ${limits.maxOptions} opzioni, ma ${menu.length} skillset di questo numero hanno un'etichetta del softbot: scegli un altro stile o togli alcune etichette.`
      : `${style} at most ${limits.maxOptions} options, but ${menu.length} skillsets of this number have a softbot label: choose another style or remove some labels.`;
  } else {
    const long = menu.find((s) => s.botLabel.length > limits.maxTitle);
    if (long) {
      message = italian
        ? `${style} titoli di al massimo ${limits.maxTitle} caratteri: accorcia l'etichetta «${long.botLabel}» o scegli un altro stile.`
        : `${style} titles of at most ${limits.maxTitle} characters: shorten the label “${long.botLabel}” or choose another style.`;
    }
  }
  if (message) apiError(400, "invalid_request", message, [{ path: "bot.style", message }]);
}

/**
 * When an edit changes the number's phone_number_id or WABA id, proves the new
 * pair with the number's stored access token (as on creation) and returns it;
 * null when neither changes. A WABA id cannot be removed once set.
 */
async function reclaim(
  c: Context<AppEnv>,
  row: NumberRow,
  details: Partial<NumberDetails>,
  language: "en" | "it",
): Promise<{ phoneNumberId: string; wabaId: string } | null> {
  const phoneNumberId = details.phoneNumberId ?? row.phoneNumberId;
  const wabaId = details.wabaId === undefined ? row.wabaId : details.wabaId;
  if (phoneNumberId === row.phoneNumberId && wabaId === row.wabaId) return null;
  const it = language === "it";
  if (wabaId === null) {
    const message = it
      ? "Obbligatorio: Parley verifica il numero con il suo account WhatsApp Business."
      : "Required: Parley checks the number with its WhatsApp Business Account.";
    apiError(400, "invalid_request", message, [{ path: "details.wabaId", message }]);
  }
  const accessToken = await storedAccessToken(c.env.DB, c.var.config.dataKey, row.id, row.tenantId);
  if (!accessToken) {
    const message = it
      ? "Imposta prima il token di accesso del numero (in Credenziali): Parley verifica i nuovi ID con esso."
      : "Set the number's access token first (under Credentials): Parley checks new IDs with it.";
    const path = phoneNumberId !== row.phoneNumberId ? "details.phoneNumberId" : "details.wabaId";
    apiError(400, "invalid_request", message, [{ path, message }]);
  }
  await takeQuota(c, { rule: "numberProof", subject: c.var.user.id });
  await requireProof(
    c.var.config.graphApiBase,
    { phoneNumberId, wabaId, accessToken },
    {
      phoneNumberId: "details.phoneNumberId",
      wabaId: "details.wabaId",
      accessToken: "accessToken",
    },
    language,
  );
  return { phoneNumberId, wabaId };
}

/** A number as the audit trail records it: its identity and every settings category. */
function audited(
  identity: { name: string; displayPhone: string; phoneNumberId: string; wabaId: string | null },
  settings: StoredSettings,
) {
  return { ...identity, ...settings };
}

function identityOf(row: NumberRow) {
  return {
    name: row.name,
    displayPhone: row.displayPhone,
    phoneNumberId: row.phoneNumberId,
    wabaId: row.wabaId,
  };
}

/** /api/admin/numbers… */
export const numbers = new Routes();

mountList(numbers, list);

numbers.endpoint(
  {
    method: "get",
    path: "/api/admin/numbers/:id",
    summary: "A managed number with every settings category (credentials only as has*)",
    tag: TAG,
    access: "admin",
    params: Id,
    response: NumberView,
  },
  async (c) =>
    c.json(numberView(await numberRow(c.env.DB, c.req.valid("param").id, c.var.user.tenantId))),
);

numbers.endpoint(
  {
    method: "post",
    path: "/api/admin/numbers",
    summary:
      "Add a managed number once Graph proves it with the given access token (400 naming the field when it does not, 502/503 when Meta fails; 409 when the number or its WABA is already managed by another company)",
    tag: TAG,
    access: "admin",
    body: CreateNumberBody,
    response: NumberView,
    status: 201,
  },
  async (c) => {
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const language = languageOf(c);
    // Proved before anything is looked up or stored: only a token holder
    // learns whether the number is already managed.
    await takeQuota(c, { rule: "numberProof", subject: c.var.user.id });
    await requireProof(
      c.var.config.graphApiBase,
      { phoneNumberId: body.phoneNumberId, wabaId: body.wabaId, accessToken: body.accessToken },
      { phoneNumberId: "phoneNumberId", wabaId: "wabaId", accessToken: "accessToken" },
      language,
    );
    const details = NumberExtras.parse({ ...defaultNumberExtras(), ...present(body) });
    // Open around the clock until an admin sets its hours (the office hours wait, unused,
    // in the editor): a new number never makes the tenant look partly closed.
    const settings: StoredSettings = {
      details,
      ...defaultNumberSettings(),
      workingTime: alwaysOpenWorkingTime(),
    };
    const id = crypto.randomUUID();
    const dataKey = c.var.config.dataKey;
    const orm = d1(db);
    try {
      // One batch: the unique phone_number_id and the WABA's single owner hold
      // even against a concurrent claim by another tenant.
      await inOneBatch(orm, [
        orm.insert(managedNumbers).values({
          id,
          tenantId,
          phoneNumberId: body.phoneNumberId,
          displayPhone: body.displayPhone,
          name: body.name,
          wabaId: body.wabaId,
          accessToken: await sealSecret(dataKey, "managed_numbers.access_token", body.accessToken),
          appSecret:
            (await sealOptional(dataKey, "managed_numbers.app_secret", body.appSecret)) ?? null,
          settings: settingsJson(settings),
          provedAt: Date.now(),
        }),
        ...claimWaba(orm, body.wabaId, tenantId),
        auditStatement(c, {
          action: "create",
          entity: "number",
          entityId: id,
          label: body.name,
          after: {
            ...audited(
              {
                name: body.name,
                displayPhone: body.displayPhone,
                phoneNumberId: body.phoneNumberId,
                wabaId: body.wabaId,
              },
              settings,
            ),
            accessToken: "set",
            ...(body.appSecret ? { appSecret: "set" } : {}),
          },
          secrets: ["accessToken", "appSecret"],
        }),
      ]);
    } catch (err) {
      if (isPhoneNumberIdClash(err)) phoneNumberIdTaken("phoneNumberId", language);
      if (isGuardFailure(err)) wabaTaken("wabaId", language);
      throw err;
    }
    return c.json(numberView(await numberRow(db, id, tenantId)), 201);
  },
);

numbers.endpoint(
  {
    method: "patch",
    path: "/api/admin/numbers/:id",
    summary:
      "Save one or more settings categories of a number (409 on a stale version); takes effect in routing at once",
    tag: TAG,
    access: "admin",
    params: Id,
    body: UpdateNumberBody,
    response: NumberView,
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const row = await numberRow(db, id, tenantId);
    const stored = readSettings(row.settings);
    const details = present(body.details ?? {});
    const next: StoredSettings = {
      details: NumberExtras.parse({ ...stored.details, ...details }),
      autoClose: body.autoClose ?? stored.autoClose,
      messages: body.messages ?? stored.messages,
      workingTime: body.workingTime ?? stored.workingTime,
      profiling: body.profiling ?? stored.profiling,
      bot: body.bot ?? stored.bot,
    };
    if (body.workingTime) requireValidWorkingTime(next);
    if (body.bot) {
      await requireBotFitsStyle(db, tenantId, id, body.bot, languageOf(c) === "it");
    }
    const language = languageOf(c);
    const claim = await reclaim(c, row, details, language);
    const set: Partial<typeof managedNumbers.$inferInsert> = { settings: settingsJson(next) };
    if (details.name !== undefined) set.name = details.name;
    if (details.displayPhone !== undefined) set.displayPhone = details.displayPhone;
    if (claim) {
      set.phoneNumberId = claim.phoneNumberId;
      set.wabaId = claim.wabaId;
      set.provedAt = Date.now();
    }
    const orm = d1(db);
    const also: D1Statement[] = [
      auditStatement(c, {
        action: "update",
        entity: "number",
        entityId: id,
        label: row.name,
        before: audited(identityOf(row), stored),
        after: audited(
          {
            name: details.name ?? row.name,
            displayPhone: details.displayPhone ?? row.displayPhone,
            phoneNumberId: claim?.phoneNumberId ?? row.phoneNumberId,
            wabaId: claim?.wabaId ?? row.wabaId,
          },
          next,
        ),
      }),
    ];
    if (claim) {
      also.push(...claimWaba(orm, claim.wabaId, tenantId));
      if (row.wabaId && row.wabaId !== claim.wabaId) {
        also.push(releaseWaba(orm, row.wabaId, tenantId, null));
      }
    }
    try {
      await saveVersioned(
        db,
        { table: managedNumbers, id, tenantId, version: body.version, noun: NOUN },
        set,
        also,
      );
    } catch (err) {
      if (isPhoneNumberIdClash(err)) phoneNumberIdTaken("details.phoneNumberId", language);
      // saveVersioned reads any failed guard as a stale version; the WABA's
      // guard (another tenant took it meanwhile) deserves its own answer.
      if (claim && (await wabaHeldByOther(db, claim.wabaId, tenantId))) {
        wabaTaken("details.wabaId", language);
      }
      throw err;
    }
    await numbersChanged(c.env, [id]);
    return c.json(numberView(await numberRow(db, id, tenantId)));
  },
);

numbers.endpoint(
  {
    method: "put",
    path: "/api/admin/numbers/:id/credentials",
    summary:
      "Set or clear the number's access token and own app secret (write-only: never returned). A new token is kept only once Graph proves it reads this number (400 naming accessToken, 502/503 when Meta fails)",
    tag: TAG,
    access: "admin",
    params: Id,
    body: NumberCredentialsBody,
    response: NumberView,
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const tenantId = c.var.user.tenantId;
    const set: Partial<typeof managedNumbers.$inferInsert> = {};
    const row = await numberRow(c.env.DB, id, tenantId);
    if (body.accessToken) {
      // A new token must prove this very number; else it is refused and the
      // old one stays. (Clearing the token needs no proof.)
      await takeQuota(c, { rule: "numberProof", subject: c.var.user.id });
      await requireProof(
        c.var.config.graphApiBase,
        { phoneNumberId: row.phoneNumberId, wabaId: row.wabaId, accessToken: body.accessToken },
        { phoneNumberId: "accessToken", wabaId: "accessToken", accessToken: "accessToken" },
        languageOf(c),
      );
      if (row.wabaId !== null) set.provedAt = Date.now();
    }
    // Stored sealed; a cleared one stays empty.
    const dataKey = c.var.config.dataKey;
    if (body.accessToken !== undefined) {
      set.accessToken = await sealOptional(
        dataKey,
        "managed_numbers.access_token",
        body.accessToken,
      );
    }
    if (body.appSecret !== undefined) {
      set.appSecret = await sealOptional(dataKey, "managed_numbers.app_secret", body.appSecret);
    }
    // Only that a secret was set or cleared is recorded, never its value.
    const given = (value: string | null | undefined, had: number) =>
      value === undefined ? (had ? "set" : null) : value === null || value === "" ? null : "new";
    await saveVersioned(
      c.env.DB,
      { table: managedNumbers, id, tenantId, version: body.version, noun: NOUN },
      set,
      [
        auditStatement(c, {
          action: "credentials",
          entity: "number",
          entityId: id,
          label: row.name,
          before: {
            accessToken: row.hasAccessToken ? "set" : null,
            appSecret: row.hasAppSecret ? "set" : null,
          },
          after: {
            accessToken: given(body.accessToken, row.hasAccessToken),
            appSecret: given(body.appSecret, row.hasAppSecret),
          },
          secrets: ["accessToken", "appSecret"],
        }),
      ],
    );
    // The number hands its new token to its open conversations at once.
    if (body.accessToken !== undefined) await numbersChanged(c.env, [id]);
    return c.json(numberView(await numberRow(c.env.DB, id, tenantId)));
  },
);

numbers.endpoint(
  {
    method: "delete",
    path: "/api/admin/numbers/:id",
    summary:
      "Delete a number with its skillsets, properties, profiling and templates (409 while it has open conversations)",
    tag: TAG,
    access: "admin",
    params: Id,
    status: 204,
  },
  async (c) => {
    const { id } = c.req.valid("param");
    const db = c.env.DB;
    const tenantId = c.var.user.tenantId;
    const row = await numberRow(db, id, tenantId);
    const open = await c.env.NUMBER.getByName(id).conversations();
    if (open.length > 0) {
      apiError(
        409,
        "conflict",
        `This number has ${open.length} open conversation(s). Close them before deleting the number.`,
      );
    }
    const orm = d1(db);
    const ofNumber = orm
      .select({ id: skillsetsTable.id })
      .from(skillsetsTable)
      .where(and(eq(skillsetsTable.tenantId, tenantId), eq(skillsetsTable.numberId, id)));
    await deleteOwned(db, managedNumbers, id, tenantId, NOUN, [
      orm
        .delete(skillsetMembers)
        .where(
          and(
            eq(skillsetMembers.tenantId, tenantId),
            inArray(skillsetMembers.skillsetId, ofNumber),
          ),
        ),
      orm
        .update(customers)
        .set({ defaultSkillsetId: null })
        .where(
          and(eq(customers.tenantId, tenantId), inArray(customers.defaultSkillsetId, ofNumber)),
        ),
      ...[skillsetsTable, customerProperties, profilingNodes, templates].map((table) =>
        orm.delete(table).where(and(eq(table.tenantId, tenantId), eq(table.numberId, id))),
      ),
      ...(row.wabaId ? [releaseWaba(orm, row.wabaId, tenantId, id)] : []),
      auditStatement(c, {
        action: "delete",
        entity: "number",
        entityId: id,
        label: row.name,
        before: audited(identityOf(row), readSettings(row.settings)),
      }),
    ]);
    await numbersChanged(c.env, [id]);
    return c.body(null, 204);
  },
);

numbers.route("/", properties);
numbers.route("/", profiling);
numbers.route("/", skillsets);
