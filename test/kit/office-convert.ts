/**
 * LibreOffice on loopback, for tests that need files written (or read) by a
 * real spreadsheet program. Runs in Node (vitest's global setup); workerd
 * tests call its HTTP API:
 *
 * - `POST /convert?from=csv&to=xlsx` body: UTF-8 CSV (comma separated)  → the .xlsx LibreOffice Calc writes
 * - `POST /convert?from=xlsx&to=csv` body: an .xlsx                     → its first sheet as UTF-8 CSV
 *
 * Conversions run one at a time (LibreOffice keeps one process per user
 * profile), with a profile of its own in a temporary directory.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface OfficeConverter {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

// Filter options: comma, double quote, UTF-8, from line 1, default column formats,
// English (US) locale, quoted fields not forced to text, special numbers (dates) detected.
const CSV_IN = "CSV:44,34,76,1,,1033,false,true";
const CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1";
const XLSX_OUT = "xlsx:Calc MS Excel 2007 XML";

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("soffice", args, { timeout: 120_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`soffice failed: ${err.message} ${stderr}`));
      else resolve();
    });
  });
}

/** Starts the converter on an ephemeral loopback port. */
export async function startOfficeConverter(): Promise<OfficeConverter> {
  const work = await mkdtemp(join(tmpdir(), "parley-office-"));
  const profile = pathToFileURL(join(work, "profile")).href;
  let queue: Promise<unknown> = Promise.resolve();
  let counter = 0;

  async function convert(from: "csv" | "xlsx", to: "csv" | "xlsx", input: Buffer): Promise<Buffer> {
    counter += 1;
    const dir = join(work, `job-${counter}`);
    const source = join(dir, `input.${from}`);
    await mkdir(dir, { recursive: true });
    await writeFile(source, input);
    const args = [`-env:UserInstallation=${profile}`, "--headless", "--norestore"];
    if (from === "csv") args.push(`--infilter=${CSV_IN}`);
    args.push(
      "--convert-to",
      to === "csv" ? CSV_OUT : XLSX_OUT,
      "--outdir",
      join(dir, "out"),
      source,
    );
    await run(args);
    const output = await readFile(join(dir, "out", `input.${to}`));
    await rm(dir, { recursive: true, force: true });
    return output;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const from = url.searchParams.get("from");
    const to = url.searchParams.get("to");
    if (req.method !== "POST" || url.pathname !== "/convert" || !from || !to) {
      res.writeHead(404).end();
      return;
    }
    if ((from !== "csv" && from !== "xlsx") || (to !== "csv" && to !== "xlsx")) {
      res.writeHead(400).end("from and to: csv or xlsx");
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const job = queue.then(() => convert(from, to, Buffer.concat(chunks)));
      queue = job.catch(() => undefined);
      job.then(
        (bytes) => res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(bytes),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(work, { recursive: true, force: true });
    },
  };
}
