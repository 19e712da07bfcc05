/**
 * A tenant's customer catalogue from D1: its custom properties across numbers
 * (with their file column headers) and its skillsets with their numbers'
 * names. Read once per request by the fields endpoint, the template, the
 * export and the import.
 */
import type { CustomerField } from "../../shared/customer-import";
import { type Catalogue, propertyColumns } from "./columns";

interface PropertyRow {
  id: string;
  number_id: string;
  number_name: string;
  name: string;
  type: CustomerField["type"];
  options: string;
  modifiable_by_agent: number;
  show_in_customer_list: number;
}

function options(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === "string") : [];
  } catch {
    return [];
  }
}

/** The tenant's properties (numbers in creation order, then position) and skillsets. */
export async function loadCatalogue(db: D1Database, tenantId: string): Promise<Catalogue> {
  const [properties, skillsets] = await db.batch([
    db
      .prepare(
        `SELECT p.id, p.number_id, n.name AS number_name, p.name, p.type, p.options,
           p.modifiable_by_agent, p.show_in_customer_list
         FROM customer_properties p JOIN managed_numbers n ON n.id = p.number_id AND n.tenant_id = p.tenant_id
         WHERE p.tenant_id = ? ORDER BY n.created_at, n.rowid, p.position, p.rowid`,
      )
      .bind(tenantId),
    db
      .prepare(
        `SELECT s.id, s.name, n.name AS number_name
         FROM skillsets s JOIN managed_numbers n ON n.id = s.number_id AND n.tenant_id = s.tenant_id
         WHERE s.tenant_id = ? ORDER BY n.created_at, n.rowid, s.name COLLATE NOCASE`,
      )
      .bind(tenantId),
  ]);
  const fields = (properties!.results as PropertyRow[]).map((p) => ({
    id: p.id,
    numberId: p.number_id,
    numberName: p.number_name,
    name: p.name,
    type: p.type,
    options: options(p.options),
    modifiableByAgent: p.modifiable_by_agent === 1,
    showInCustomerList: p.show_in_customer_list === 1,
  }));
  return {
    properties: propertyColumns(fields),
    skillsets: (skillsets!.results as { id: string; name: string; number_name: string }[]).map(
      (s) => ({ id: s.id, name: s.name, numberName: s.number_name }),
    ),
  };
}
