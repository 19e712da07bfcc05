/**
 * Customer files as other programs write them, through the real Worker:
 * workbooks written by LibreOffice Calc (converted at test time from a CSV we
 * write), our template and export opened by LibreOffice, a hand-made workbook
 * shaped like Excel's (shared strings, date styles, a gap between rows), CSV
 * with semicolons and a BOM or in Windows-1252, the export's round trip with
 * formulas neutralised — and files that must be refused with a clear 4xx:
 * zip bombs, PDFs, images, old .xls, random bytes, oversize bodies.
 */
import { describe, expect, it } from "vitest";
import type { ImportView } from "../src/shared/customer-import";
import type { CustomerView } from "../src/shared/customers";
import { decodeText, parseCsv } from "../src/worker/import/csv";
import {
  apply,
  customerByPhone,
  importTenant,
  upload,
  uploadOk,
  uploadRefused,
} from "./kit/customers";
import { csv, libreOffice, readXlsxRows, zip } from "./kit/files";
import { mobile } from "./kit/ids";
import { adminSession, call, callJson } from "./kit/session";
import { countRows } from "./kit/tenant";

const CSV = "text/csv";
// LibreOffice starts cold on a fresh profile: give its tests room.
const OFFICE_TIMEOUT = 120_000;

/** Excel's serial day number of a date (days since 1899-12-30). */
function serial(year: number, month: number, day: number): number {
  return (Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function cellsOf(bytes: Uint8Array): string[][] {
  return parseCsv(decodeText(bytes));
}

describe("files written by other programs", () => {
  it(
    "imports a workbook written by LibreOffice Calc: accents, dates, booleans and numbers",
    async () => {
      const admin = await adminSession();
      const t = await importTenant(admin);
      const [first, second] = [mobile(), mobile()];
      const source = csv([
        [
          "Phone *",
          "Name",
          "Authorized",
          "Bypass bot",
          "Priority",
          "Default skillset",
          "Notes",
          "External ID",
          "Keep message history",
          "Tier",
          "Score",
          "Birthday",
          "VIP",
          "City",
        ],
        [
          first,
          "Niccolò Bèrtoli",
          "TRUE",
          "FALSE",
          "3",
          "Sales",
          "Perché sì — città",
          "4512",
          "yes",
          "Silver",
          "12.5",
          "2024-02-29",
          "FALSE",
          "Forlì",
        ],
        [
          `${second.slice(0, 3)} ${second.slice(3, 6)} ${second.slice(6)}`,
          "Zoë Ångström",
          "yes",
          "no",
          "9",
          "",
          "",
          "",
          "no",
          "",
          "7",
          "1999-12-31",
          "TRUE",
          "Cantù",
        ],
      ]);
      const workbook = await libreOffice("csv", "xlsx", source);
      // What LibreOffice wrote: real numbers, booleans and dates, not our text.
      const raw = await readXlsxRows(workbook.buffer as ArrayBuffer);
      expect(raw[1]![4]).toBe("3");
      expect(raw[1]![11]).toBe(String(serial(2024, 2, 29)));

      const preview = await uploadOk(admin, workbook);
      expect(preview.rejections).toEqual([]);
      expect(preview).toMatchObject({ totalRows: 2, validRows: 2, inserts: 2 });
      await apply(admin, preview.id);
      const one = (await customerByPhone(admin.tenantId, first))!;
      expect(one).toMatchObject({
        name: "Niccolò Bèrtoli",
        authorized: 1,
        bypass_bot: 0,
        priority: 3,
        default_skillset_id: t.skillset.id,
        notes: "Perché sì — città",
        external_id: "4512",
        keep_history: 1,
      });
      expect(JSON.parse(one.properties)).toEqual({
        [t.tier.id]: "Silver",
        [t.score.id]: 12.5,
        [t.birthday.id]: "2024-02-29",
        [t.vip.id]: false,
        [t.city.id]: "Forlì",
      });
      const two = (await customerByPhone(admin.tenantId, second))!;
      expect(two).toMatchObject({
        name: "Zoë Ångström",
        authorized: 1,
        priority: 9,
        keep_history: 0,
      });
      expect(JSON.parse(two.properties)).toEqual({
        [t.score.id]: 7,
        [t.birthday.id]: "1999-12-31",
        [t.vip.id]: true,
        [t.city.id]: "Cantù",
      });
    },
    OFFICE_TIMEOUT,
  );

  it(
    "writes a template and an export that LibreOffice opens with every cell in place",
    async () => {
      const admin = await adminSession();
      const t = await importTenant(admin);
      const template = new Uint8Array(
        await (await call(admin, "GET", "/api/customers/import-template.xlsx")).arrayBuffer(),
      );
      expect(cellsOf(await libreOffice("xlsx", "csv", template))).toEqual([
        [
          "Phone *",
          "Name",
          "Authorized",
          "Bypass bot",
          "Priority",
          "Default skillset",
          "Notes",
          "External ID",
          "Keep message history",
          "Tier",
          "Score",
          "Birthday",
          "VIP",
          "City",
        ],
      ]);

      const phone = mobile();
      const created = await callJson<CustomerView>(
        admin,
        "POST",
        "/api/customers",
        {
          phone,
          name: "Lucía Pérez",
          authorized: true,
          priority: 8,
          defaultSkillsetId: t.skillset.id,
          notes: "=1+2",
          properties: { [t.birthday.id]: "2024-03-15", [t.vip.id]: true, [t.score.id]: 4.5 },
        },
        201,
      );
      const exported = new Uint8Array(
        await (await call(admin, "GET", "/api/customers/export.xlsx")).arrayBuffer(),
      );
      const rows = cellsOf(await libreOffice("xlsx", "csv", exported));
      expect(rows[0]).toEqual([
        "ID",
        "Phone",
        "Name",
        "Authorized",
        "Bypass bot",
        "Priority",
        "Default skillset",
        "Notes",
        "External ID",
        "Keep message history",
        "Tier",
        "Score",
        "Birthday",
        "VIP",
        "City",
        "WhatsApp user ID",
        "Created",
        "Last update",
      ]);
      expect(rows[1]!.slice(0, 16)).toEqual([
        created.id,
        phone,
        "Lucía Pérez",
        "yes",
        "no",
        "8",
        "Sales",
        "'=1+2",
        "",
        "yes",
        "",
        "4.5",
        "2024-03-15",
        "yes",
        "",
        "",
      ]);
      expect(rows[1]![16]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

      // What LibreOffice saves from our export imports back to the same customer, unchanged.
      const resaved = await libreOffice("xlsx", "xlsx", exported);
      const preview = await uploadOk(admin, resaved);
      expect(preview).toMatchObject({ rejections: [], updates: 0, unchanged: 1, inserts: 0 });
      await apply(admin, preview.id);
      const after = await callJson<CustomerView>(
        admin,
        "GET",
        `/api/customers/${created.id}`,
        undefined,
        200,
      );
      expect(after).toEqual(created);
    },
    OFFICE_TIMEOUT,
  );

  it("imports a hand-made workbook shaped like Excel's: shared strings, date styles, a gap between rows", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const strings = [
      "Phone *",
      "Name",
      "Authorized",
      "Priority",
      "Birthday",
      "VIP",
      "Score",
      "City",
      a,
      "Zoë & Co",
      "Ugo",
      "abc",
      c,
      "Eva",
    ];
    const s = (text: string, i: number) =>
      `<c r="${"ABCDEFGH"[i]}1" t="s"><v>${strings.indexOf(text)}</v></c>`;
    const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H5"/><sheetData>
<row r="1">${["Phone *", "Name", "Authorized", "Priority", "Birthday", "VIP", "Score", "City"].map(s).join("")}</row>
<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2" t="s"><v>9</v></c><c r="C2" t="b"><v>1</v></c><c r="D2"><v>4</v></c><c r="E2" s="1"><v>${serial(2024, 3, 15)}</v></c><c r="F2" t="b"><v>0</v></c><c r="G2"><v>2.25</v></c><c r="H2" t="inlineStr"><is><t>Bolzano/Bozen</t></is></c></row>
<row r="4"><c r="A4"><v>${b.slice(1)}</v></c><c r="B4" t="s"><v>10</v></c><c r="D4" t="s"><v>11</v></c><c r="E4" s="2"><v>${serial(2023, 3, 15)}</v></c></row>
<row r="5"><c r="A5" t="s"><v>12</v></c><c r="B5" t="s"><v>13</v></c><c r="E5" s="2"><v>${serial(2023, 3, 15)}</v></c></row>
</sheetData></worksheet>`;
    const escapeXml = (x: string) => x.replace(/&/g, "&amp;");
    const workbook = await zip([
      {
        name: "[Content_Types].xml",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
      },
      {
        name: "_rels/.rels",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      },
      {
        name: "xl/workbook.xml",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Clienti" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      },
      {
        name: "xl/_rels/workbook.xml.rels",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      },
      {
        name: "xl/styles.xml",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
      },
      {
        name: "xl/sharedStrings.xml",
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((x) => `<si><t>${escapeXml(x)}</t></si>`).join("")}</sst>`,
      },
      { name: "xl/worksheets/sheet1.xml", data: sheet },
    ]);
    const preview = await uploadOk(admin, workbook);
    // Row numbers are the sheet's: the missing row 3 does not shift them.
    expect(preview.rejections).toEqual([
      { row: 4, column: "Priority", reason: "must be a whole number from 1 to 9" },
    ]);
    expect(preview).toMatchObject({ totalRows: 3, validRows: 2 });
    await apply(admin, preview.id);
    const first = (await customerByPhone(admin.tenantId, a))!;
    expect(first).toMatchObject({ name: "Zoë & Co", authorized: 1, priority: 4 });
    expect(JSON.parse(first.properties)).toEqual({
      [t.birthday.id]: "2024-03-15",
      [t.vip.id]: false,
      [t.score.id]: 2.25,
      [t.city.id]: "Bolzano/Bozen",
    });
    const third = (await customerByPhone(admin.tenantId, c))!;
    expect(JSON.parse(third.properties)).toEqual({ [t.birthday.id]: "2023-03-15" });
    expect(await customerByPhone(admin.tenantId, b)).toBeNull();
  });

  it("reads CSV with semicolons and a BOM, quoted line breaks, and Windows-1252 text", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const [a, b, c] = [mobile(), mobile(), mobile()];
    const semicolons = `\uFEFF${csv(
      [
        ["Phone *", "Name", "Notes", "Score"],
        [a, 'Anna "Nina" Bianchi', "line one\r\nline two; still notes", "2,5"],
        [b, "Bruno", "", "3"],
      ],
      ";",
    )}`;
    const preview = await uploadOk(admin, semicolons, { type: CSV });
    expect(preview).toMatchObject({ rejections: [], validRows: 2 });
    await apply(admin, preview.id);
    expect(await customerByPhone(admin.tenantId, a)).toMatchObject({
      name: 'Anna "Nina" Bianchi',
      notes: "line one\r\nline two; still notes",
      properties: JSON.stringify({ [t.score.id]: 2.5 }),
    });

    // "Perché costa 5 €" in Windows-1252: è is 0xE8, € is 0x80.
    const text = `Phone *;Name;Notes\r\n${c};Perch\u00e8;costa 5 \u20ac\r\n`;
    const bytes = Uint8Array.from(
      [...text].map((ch) => (ch === "\u00e8" ? 0xe8 : ch === "\u20ac" ? 0x80 : ch.charCodeAt(0))),
    );
    const latin = await uploadOk(admin, bytes, { type: "application/vnd.ms-excel" });
    await apply(admin, latin.id);
    expect(await customerByPhone(admin.tenantId, c)).toMatchObject({
      name: "Perchè",
      notes: "costa 5 €",
    });
  });

  it("exports formula-like text neutralised, and the export imports back to the same customers", async () => {
    const admin = await adminSession();
    const t = await importTenant(admin);
    const bodies = [
      {
        phone: mobile(),
        name: '=HYPERLINK("http://evil.test","click")',
        notes: "+1 call back",
        externalId: "@ext",
      },
      {
        phone: mobile(),
        name: "Normal",
        authorized: true,
        bypassBot: true,
        priority: 2,
        keepHistory: false,
        defaultSkillsetId: t.skillset.id,
        properties: {
          [t.city.id]: "-minus",
          [t.tier.id]: "Gold",
          [t.birthday.id]: "2000-01-31",
          [t.vip.id]: false,
        },
      },
    ];
    const before: CustomerView[] = [];
    for (const body of bodies)
      before.push(await callJson<CustomerView>(admin, "POST", "/api/customers", body, 201));
    const exported = await (
      await call(admin, "GET", "/api/customers/export.xlsx?sort=name")
    ).arrayBuffer();
    const rows = await readXlsxRows(exported);
    expect(rows[1]!.slice(1, 4)).toEqual([
      before[0]!.phone, // a phone is only digits: it stays as it is
      `'=HYPERLINK("http://evil.test","click")`,
      "no",
    ]);
    expect(rows[1]![7]).toBe("'+1 call back");
    expect(rows[1]![8]).toBe("'@ext");
    expect(rows[2]![14]).toBe("'-minus");

    // The customers already have the file's values: nothing to update, not even the version.
    const preview = await uploadOk(admin, exported);
    expect(preview).toMatchObject({ rejections: [], updates: 0, unchanged: 2, inserts: 0 });
    await apply(admin, preview.id);
    for (const customer of before) {
      const after = await callJson<CustomerView>(
        admin,
        "GET",
        `/api/customers/${customer.id}`,
        undefined,
        200,
      );
      expect(after).toEqual(customer);
    }
  });
});

describe("files that are refused", () => {
  async function expectFailed(admin: Awaited<ReturnType<typeof adminSession>>, id: string) {
    const view = await callJson<ImportView>(
      admin,
      "GET",
      `/api/customers/imports/${id}`,
      undefined,
      200,
    );
    expect(view.status).toBe("failed");
    expect(view.error).toBeTruthy();
    return view;
  }

  it("refuses PDFs, images, old .xls files, random bytes and zips that are not workbooks", async () => {
    const admin = await adminSession();
    const random = crypto.getRandomValues(new Uint8Array(4096));
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj <<>> endobj\n"), /PDF/],
      [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /image/],
      [Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), /\.xls\b/],
      [random, /not a spreadsheet/],
      [await zip([{ name: "hello.txt", data: "hello" }]), /ZIP archive but not an Excel workbook/],
    ];
    for (const [bytes, message] of cases) {
      const id = crypto.randomUUID();
      const refused = await uploadRefused(admin, bytes, { id, type: "application/octet-stream" });
      expect(refused.status).toBe(415);
      expect(refused.error.code).toBe("unsupported_file");
      expect(refused.error.message).toMatch(message);
      expect(refused.error.message).toContain("Upload an Excel workbook (.xlsx) or a CSV file");
      await expectFailed(admin, id);
    }
  });

  it("refuses plain text sent as an .xlsx workbook as not a spreadsheet, in English and Italian", async () => {
    const admin = await adminSession();
    const notes = "Shopping list\nmilk, eggs\nbread\n";
    for (const [lang, message] of [
      ["en", "This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."],
      [
        "it",
        "Questo file non è un foglio di calcolo. Carica una cartella di lavoro Excel (.xlsx) o un file CSV.",
      ],
    ] as const) {
      const id = crypto.randomUUID();
      const refused = await uploadRefused(admin, notes, {
        id,
        fileName: "customers.xlsx",
        headers: { "Accept-Language": lang },
      });
      expect(refused).toMatchObject({ status: 415, error: { code: "unsupported_file", message } });
      expect((await expectFailed(admin, id)).error).toBe(message);
    }
    // Sent as CSV, the same text is a CSV without the Phone column.
    const csvText = await uploadRefused(admin, notes, { type: CSV, fileName: "customers.csv" });
    expect(csvText).toMatchObject({ status: 422, error: { code: "missing_column" } });
    // A real CSV that was only misnamed .xlsx still imports: the content decides.
    const misnamed = await uploadOk(admin, csv([["Phone"], [mobile()]]), {
      fileName: "customers.xlsx",
    });
    expect(misnamed).toMatchObject({ status: "ready", validRows: 1 });
  });

  it("refuses zip bombs before any spreadsheet parser sees them", async () => {
    const admin = await adminSession();
    const workbookXml = { name: "xl/workbook.xml", data: "<workbook/>" };
    // 20 MB of spaces in 20 KB: a ratio no spreadsheet has.
    const dense = await zip([
      workbookXml,
      { name: "xl/worksheets/sheet1.xml", data: new Uint8Array(20 * 1024 * 1024).fill(32) },
    ]);
    const ratio = await uploadRefused(admin, dense);
    expect(ratio).toMatchObject({ status: 422, error: { code: "zip_bomb" } });
    expect(ratio.error.message).toContain("would expand");
    // The same data declaring 1,000 bytes: the counting inflate stops it.
    const lying = await zip([
      workbookXml,
      {
        name: "xl/worksheets/sheet1.xml",
        data: new Uint8Array(20 * 1024 * 1024).fill(32),
        declaredSize: 1000,
      },
    ]);
    const lie = await uploadRefused(admin, lying);
    expect(lie).toMatchObject({ status: 422, error: { code: "zip_bomb" } });
    expect(lie.error.message).toContain("beyond its declared size");
    // Plausible ratios, but more than 100 MB in all.
    const noise = crypto.getRandomValues(new Uint8Array(65_536));
    const big = new Uint8Array(600 * 1024);
    for (let i = 0; i < big.length; i += noise.length)
      big.set(noise.subarray(0, Math.min(noise.length, big.length - i)), i);
    const huge = await zip([
      workbookXml,
      { name: "xl/worksheets/sheet1.xml", data: big, declaredSize: 101 * 1024 * 1024 },
    ]);
    const tooBig = await uploadRefused(admin, huge);
    expect(tooBig).toMatchObject({ status: 413, error: { code: "file_too_large" } });
    expect(tooBig.error.message).toContain("100 MB");
    // Thousands of entries.
    const many = await zip([
      workbookXml,
      ...Array.from({ length: 1001 }, (_, i) => ({
        name: `x/${i}.xml`,
        data: "<a/>",
        method: 0 as const,
      })),
    ]);
    expect(await uploadRefused(admin, many)).toMatchObject({
      status: 422,
      error: { code: "zip_bomb" },
    });
  });

  it("refuses bodies over 10 MB, announced or not, and files over 50,000 rows", async () => {
    const admin = await adminSession();
    const oversize = new Uint8Array(10 * 1024 * 1024 + 1).fill(65);
    const id = crypto.randomUUID();
    const announced = await uploadRefused(admin, oversize, { id, type: CSV });
    expect(announced).toMatchObject({ status: 413, error: { code: "file_too_large" } });
    // Refused before anything was recorded.
    expect((await call(admin, "GET", `/api/customers/imports/${id}`)).status).toBe(404);

    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 11; i++) controller.enqueue(new Uint8Array(1024 * 1024).fill(65));
        controller.close();
      },
    });
    const streamId = crypto.randomUUID();
    const res = await upload(admin, streamed, { id: streamId, type: CSV });
    expect(res.status).toBe(413);
    expect((await expectFailed(admin, streamId)).error).toContain("10 MB");

    const lines = ["Phone"];
    for (let i = 0; i < 50_001; i++) lines.push(`+39333${String(i).padStart(7, "0")}`);
    const rows = await uploadRefused(admin, lines.join("\n"), { type: CSV });
    expect(rows).toMatchObject({ status: 422, error: { code: "too_many_rows" } });
    expect(rows.error.message).toContain("50,000");
    expect(await countRows("customers", admin.tenantId)).toBe(0);
  });
});
