/**
 * The customer import template: one sheet whose row 1 is the header row the
 * import reads (so the template imports as is once rows are added) — the
 * fixed columns, mandatory ones marked " *" and bold, then one column per
 * custom property.
 */
import writeXlsxFile from "write-excel-file/node";
import { type Catalogue, templateHeaders } from "./columns";

/** The template as .xlsx bytes. */
export async function templateXlsx(catalogue: Catalogue): Promise<Uint8Array> {
  const headers = templateHeaders(catalogue);
  const row = headers.map((h) => ({
    value: h.header,
    type: String,
    ...(h.mandatory ? { fontWeight: "bold" as const } : {}),
  }));
  const buffer = await writeXlsxFile([row], {
    sheet: "Customers",
    columns: headers.map((h) => ({ width: Math.max(14, h.header.length + 4) })),
    stickyRowsCount: 1,
  }).toBuffer();
  return new Uint8Array(buffer);
}
