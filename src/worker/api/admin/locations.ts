/** Predefined locations (name, address, coordinates) agents can send to customers. */
import { z } from "zod";
import { LocationFields, LocationView, UpdateLocationBody } from "../../../shared/admin";
import { Routes } from "../../app/routes";
import { auditStatement } from "../../security/audit";
import { deleteOwned, type ListSpec, mountList, ownedRow, saveVersioned } from "./common";

interface Row {
  id: string;
  tenant_id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  version: number;
}

function view(row: Row): LocationView {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    version: row.version,
  };
}

const list: ListSpec<Row, LocationView> = {
  name: "locations",
  tag: "admin: locations",
  access: "admin",
  summary: "Predefined locations (search name, address)",
  view: LocationView,
  select: "*",
  from: "FROM locations WHERE tenant_id = ?",
  where: (c) => [c.var.user.tenantId],
  search: ["name", "address"],
  sorts: { name: "name COLLATE NOCASE", address: "address COLLATE NOCASE" },
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
  return view(await ownedRow<Row>(db, "locations", id, tenantId, NOUN));
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
      await c.env.DB.batch([
        c.env.DB.prepare(
          "INSERT INTO locations (id, tenant_id, name, address, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?)",
        ).bind(id, tenantId, b.name, b.address, b.latitude, b.longitude),
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
        { table: "locations", id, tenantId, version, noun: NOUN },
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
      await deleteOwned(c.env.DB, "locations", id, c.var.user.tenantId, NOUN, [
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
