/**
 * A tenant's customer catalogue from D1: its custom properties across numbers
 * (with their file column headers) and its skillsets with their numbers'
 * names. Read once per request by the fields endpoint, the template, the
 * export and the import.
 */
import { and, eq, sql } from "drizzle-orm";
import type { D1Db } from "../../platform/db/d1";
import { skillsetNumber } from "../../platform/db/joins";
import { customerProperties, managedNumbers, skillsets } from "../../platform/db/schema";
import { type Catalogue, propertyColumns } from "./columns";

function options(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === "string") : [];
  } catch {
    return [];
  }
}

/** The tenant's properties (numbers in creation order, then position) and skillsets. */
export async function loadCatalogue(db: D1Db, tenantId: string): Promise<Catalogue> {
  // Aliased: a batch answers rows by column name, and the number's is also `name`.
  const numberName = sql<string>`${managedNumbers.name}`.as("number_name");
  const [properties, sets] = await db.batch([
    db
      .select({
        id: customerProperties.id,
        numberId: customerProperties.numberId,
        numberName,
        name: customerProperties.name,
        type: customerProperties.type,
        options: customerProperties.options,
        modifiableByAgent: customerProperties.modifiableByAgent,
        showInCustomerList: customerProperties.showInCustomerList,
      })
      .from(customerProperties)
      .innerJoin(
        managedNumbers,
        and(
          eq(managedNumbers.id, customerProperties.numberId),
          eq(managedNumbers.tenantId, customerProperties.tenantId),
        ),
      )
      .where(eq(customerProperties.tenantId, tenantId))
      // SQLite's rowid (not a schema column): the order of creation breaks ties.
      .orderBy(
        managedNumbers.createdAt,
        sql`${managedNumbers}.rowid`,
        customerProperties.position,
        sql`${customerProperties}.rowid`,
      ),
    db
      .select({ id: skillsets.id, name: skillsets.name, numberName })
      .from(skillsets)
      .innerJoin(managedNumbers, skillsetNumber)
      .where(eq(skillsets.tenantId, tenantId))
      .orderBy(
        managedNumbers.createdAt,
        sql`${managedNumbers}.rowid`,
        sql`${skillsets.name} COLLATE NOCASE`,
      ),
  ]);
  const fields = properties.map((p) => ({ ...p, options: options(p.options) }));
  return { properties: propertyColumns(fields), skillsets: sets };
}
