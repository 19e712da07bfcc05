/**
 * The customer import timing of the earlier bench (upload → preview, then the
 * one-batch apply), kept as an optional part: `BENCH_IMPORT_ROWS=50000 npm run bench`.
 */
import { login } from "./agents.ts";

/** A customer file of `rows` valid Italian mobiles (CSV, as a spreadsheet would save it). */
function customerCsv(rows: number): string {
  const lines = ["Phone *,Name,Authorized,Priority,Notes"];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `+39347${String(i).padStart(7, "0")},Customer ${i},yes,${(i % 9) + 1},bench row ${i}`,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Uploads and applies `rows` customers as the demo admin; both phases' times in ms. */
export async function importBench(
  url: string,
  rows: number,
): Promise<{ rows: number; bytes: number; uploadMs: number; applyMs: number }> {
  const cookie = await login(url, "admin@demo.parley.test", "parley-admin");
  const body = customerCsv(rows);
  const id = crypto.randomUUID();
  const qs = new URLSearchParams({ id, mode: "upsert", fileName: "bench.csv" });
  let start = performance.now();
  const uploaded = await fetch(`${url}/api/customers/imports?${qs}`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "text/csv" },
    body,
  });
  const preview = (await uploaded.json()) as { validRows?: number };
  if (uploaded.status !== 201 || preview.validRows !== rows) {
    throw new Error(`import upload answered ${uploaded.status}: ${JSON.stringify(preview)}`);
  }
  const uploadMs = performance.now() - start;
  start = performance.now();
  const applied = await fetch(`${url}/api/customers/imports/${id}/apply`, {
    method: "POST",
    headers: { Cookie: cookie },
  });
  if (applied.status !== 200) throw new Error(`import apply answered ${applied.status}`);
  await applied.arrayBuffer();
  return { rows, bytes: body.length, uploadMs, applyMs: performance.now() - start };
}
