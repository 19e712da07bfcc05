/** Predefined locations (name, address, coordinates) agents can send to customers. */
import { eq, getTableColumns, sql } from "drizzle-orm";
import { z } from "zod";
import { d1 } from "../../../platform/db/d1";
import { locations as locationsTable } from "../../../platform/db/schema";
import { LocationFields, LocationView, UpdateLocationBody } from "../../../shared/admin";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { deleteOwned, type ListSpec, mountList, ownedRow, saveVersioned } from "./common";

function view(row: typeof locationsTable.$inferSelect): LocationView {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    version: row.version,
  };
}

const FIELDS = getTableColumns(locationsTable);

const list: ListSpec<typeof FIELDS, LocationView> = {
  name: "locations",
  tag: "admin: locations",
  access: "admin",
  summary: "Predefined locations (search name, address)",
  view: LocationView,
  table: locationsTable,
  fields: FIELDS,
  where: (c) => eq(locationsTable.tenantId, c.var.user.tenantId),
  search: [locationsTable.name, locationsTable.address],
  sorts: {
    name: sql`${locationsTable.name} COLLATE NOCASE`,
    address: sql`${locationsTable.address} COLLATE NOCASE`,
  },
  toView: view,
  columns: [
    { header: "Name", value: (v) => v.name, width: 30 },
    { header: "Address", value: (v) => v.address, width: 50 },
    { header: "Latitude", value: (v) => v.latitude },
    { header: "Longitude", value: (v) => v.longitude },
  ],
};

const Id = z.object({ id: z.string().min(1).max(100) });
const TAG = list.tag;
const NOUN = "location";

async function read(db: D1Database, id: string, tenantId: string): Promise<LocationView> {
  return view(await ownedRow(db, locationsTable, id, tenantId, NOUN));
}

/** /api/admin/locations… */
export const locations = new Routes();

mountList(locations, list);

locations
  .endpoint(
    {
      method: "get",
      path: "/api/admin/locations/:id",
      summary: "One predefined location",
      tag: TAG,
      access: "admin",
      params: Id,
      response: LocationView,
    },
    async (c) => c.json(await read(c.env.DB, c.req.valid("param").id, c.var.user.tenantId)),
  )
  .endpoint(
    {
      method: "post",
      path: "/api/admin/locations",
      summary: "Create a predefined location",
      tag: TAG,
      access: "admin",
      body: LocationFields,
      response: LocationView,
      status: 201,
    },
    async (c) => {
      const b = c.req.valid("json");
      const id = crypto.randomUUID();
      const tenantId = c.var.user.tenantId;
      const db = d1(c.env.DB);
      await db.batch([
        db.insert(locationsTable).values({
          id,
          tenantId,
          name: b.name,
          address: b.address,
          latitude: b.latitude,
          longitude: b.longitude,
        }),
        auditStatement(c, {
          action: "create",
          entity: "location",
          entityId: id,
          label: b.name,
          after: b,
        }),
      ]);
      return c.json(await read(c.env.DB, id, tenantId), 201);
    },
  )
  .endpoint(
    {
      method: "patch",
      path: "/api/admin/locations/:id",
      summary: "Change a predefined location (409 on a stale version)",
      tag: TAG,
      access: "admin",
      params: Id,
      body: UpdateLocationBody,
      response: LocationView,
    },
    async (c) => {
      const { id } = c.req.valid("param");
      const { version, ...set } = c.req.valid("json");
      const tenantId = c.var.user.tenantId;
      const before = await read(c.env.DB, id, tenantId);
      await saveVersioned(
        c.env.DB,
        { table: locationsTable, id, tenantId, version, noun: NOUN },
        set,
        [
          auditStatement(c, {
            action: "update",
            entity: "location",
            entityId: id,
            label: before.name,
            before,
            after: { ...before, ...set },
          }),
        ],
      );
      return c.json(await read(c.env.DB, id, tenantId));
    },
  )
  .endpoint(
    {
      method: "delete",
      path: "/api/admin/locations/:id",
      summary: "Delete a predefined location",
      tag: TAG,
      access: "admin",
      params: Id,
      status: 204,
    },
    async (c) => {
      const { id } = c.req.valid("param");
      const before = await read(c.env.DB, id, c.var.user.tenantId);
      await deleteOwned(c.env.DB, locationsTable, id, c.var.user.tenantId, NOUN, [
        auditStatement(c, {
          action: "delete",
          entity: "location",
          entityId: id,
          label: before.name,
          before,
        }),
      ]);
      return c.body(null, 204);
    },
  );
