/**
 * Predefined messages agents pick from, by category: plain text, optionally
 * with up to 3 reply buttons or a list of up to 10 rows.
 */
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { z } from "zod";
import { d1 } from "../../../platform/db/d1";
import { predefinedMessages as messages } from "../../../platform/db/schema";
import {
  type Interactive,
  PredefinedMessageFields,
  PredefinedMessageView,
  UpdatePredefinedMessageBody,
} from "../../../shared/admin";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { deleteOwned, type ListSpec, mountList, ownedRow, saveVersioned } from "./common";

type Row = typeof messages.$inferSelect;

function view(row: Row): PredefinedMessageView {
  return {
    id: row.id,
    category: row.category,
    title: row.title,
    text: row.text,
    interactive: row.interactive === null ? null : (JSON.parse(row.interactive) as Interactive),
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

/** One line for a spreadsheet cell: what the customer will be able to tap. */
function interactiveSummary(i: Interactive | null): string {
  if (!i) return "";
  if (i.type === "buttons") return `Buttons: ${i.buttons.map((b) => b.title).join(" | ")}`;
  const rows = i.sections.flatMap((s) => s.rows.map((r) => r.title));
  return `List "${i.button}": ${rows.join(" | ")}`;
}

/** `?category=` filters the list (and the download) to one category; blank = all. */
const CategoryFilter = z.string().trim().max(60).optional();

const FIELDS = getTableColumns(messages);

const list: ListSpec<typeof FIELDS, PredefinedMessageView> = {
  name: "predefined-messages",
  tag: "admin: predefined messages",
  access: "admin",
  summary: "Predefined messages (search category, title, text; optional exact category filter)",
  view: PredefinedMessageView,
  table: messages,
  fields: FIELDS,
  where: (c) => {
    const category = CategoryFilter.safeParse(c.req.query("category"));
    const value = category.success && category.data ? category.data : null;
    return and(
      eq(messages.tenantId, c.var.user.tenantId),
      value === null ? undefined : eq(messages.category, value),
    );
  },
  search: [messages.category, messages.title, messages.text],
  sorts: {
    category: sql`${messages.category} COLLATE NOCASE`,
    title: sql`${messages.title} COLLATE NOCASE`,
    updatedAt: messages.updatedAt,
  },
  toView: view,
  columns: [
    { header: "Category", value: (v) => v.category },
    { header: "Title", value: (v) => v.title, width: 30 },
    { header: "Text", value: (v) => v.text, width: 60 },
    { header: "Replies", value: (v) => interactiveSummary(v.interactive), width: 40 },
    { header: "Updated (UTC)", value: (v) => new Date(v.updatedAt).toISOString() },
  ],
};

const Id = z.object({ id: z.string().min(1).max(100) });
const TAG = list.tag;
const NOUN = "predefined message";

async function read(db: D1Database, id: string, tenantId: string): Promise<PredefinedMessageView> {
  return view(await ownedRow(db, messages, id, tenantId, NOUN));
}

/** /api/admin/predefined-messages… */
export const predefinedMessages = new Routes();

mountList(predefinedMessages, list);

predefinedMessages
  .endpoint(
    {
      method: "get",
      path: "/api/admin/predefined-messages/categories",
      summary: "The distinct categories in use, alphabetically (for filters)",
      tag: TAG,
      access: "admin",
      response: z.object({ categories: z.array(z.string()) }),
    },
    async (c) => {
      const results = await d1(c.env.DB)
        .selectDistinct({ category: messages.category })
        .from(messages)
        .where(eq(messages.tenantId, c.var.user.tenantId))
        .orderBy(sql`${messages.category} COLLATE NOCASE`);
      return c.json({ categories: results.map((r) => r.category) });
    },
  )
  .endpoint(
    {
      method: "get",
      path: "/api/admin/predefined-messages/:id",
      summary: "One predefined message",
      tag: TAG,
      access: "admin",
      params: Id,
      response: PredefinedMessageView,
    },
    async (c) => c.json(await read(c.env.DB, c.req.valid("param").id, c.var.user.tenantId)),
  )
  .endpoint(
    {
      method: "post",
      path: "/api/admin/predefined-messages",
      summary: "Create a predefined message",
      tag: TAG,
      access: "admin",
      body: PredefinedMessageFields,
      response: PredefinedMessageView,
      status: 201,
    },
    async (c) => {
      const b = c.req.valid("json");
      const id = crypto.randomUUID();
      const tenantId = c.var.user.tenantId;
      const now = Date.now();
      const db = d1(c.env.DB);
      await db.batch([
        db.insert(messages).values({
          id,
          tenantId,
          category: b.category,
          title: b.title,
          text: b.text,
          interactive: b.interactive ? JSON.stringify(b.interactive) : null,
          createdAt: now,
          updatedAt: now,
        }),
        auditStatement(c, {
          action: "create",
          entity: "predefined_message",
          entityId: id,
          label: b.title,
          after: b,
        }),
      ]);
      return c.json(await read(c.env.DB, id, tenantId), 201);
    },
  )
  .endpoint(
    {
      method: "patch",
      path: "/api/admin/predefined-messages/:id",
      summary: "Change a predefined message (409 on a stale version)",
      tag: TAG,
      access: "admin",
      params: Id,
      body: UpdatePredefinedMessageBody,
      response: PredefinedMessageView,
    },
    async (c) => {
      const { id } = c.req.valid("param");
      const { version, interactive, ...rest } = c.req.valid("json");
      const tenantId = c.var.user.tenantId;
      const before = await read(c.env.DB, id, tenantId);
      const set: Partial<Row> = { ...rest, updatedAt: Date.now() };
      if (interactive !== undefined) {
        set.interactive = interactive === null ? null : JSON.stringify(interactive);
      }
      await saveVersioned(c.env.DB, { table: messages, id, tenantId, version, noun: NOUN }, set, [
        auditStatement(c, {
          action: "update",
          entity: "predefined_message",
          entityId: id,
          label: before.title,
          before,
          after: { ...before, ...rest, ...(interactive === undefined ? {} : { interactive }) },
        }),
      ]);
      return c.json(await read(c.env.DB, id, tenantId));
    },
  )
  .endpoint(
    {
      method: "delete",
      path: "/api/admin/predefined-messages/:id",
      summary: "Delete a predefined message",
      tag: TAG,
      access: "admin",
      params: Id,
      status: 204,
    },
    async (c) => {
      const { id } = c.req.valid("param");
      const before = await read(c.env.DB, id, c.var.user.tenantId);
      await deleteOwned(c.env.DB, messages, id, c.var.user.tenantId, NOUN, [
        auditStatement(c, {
          action: "delete",
          entity: "predefined_message",
          entityId: id,
          label: before.title,
          before,
        }),
      ]);
      return c.body(null, 204);
    },
  );
