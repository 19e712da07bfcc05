/**
 * The pure parts of the customer import: CSV dialects, cell readings, column
 * headers, header mapping and the zip guard's structural checks.
 */
import { describe, expect, it } from "vitest";
import { DEMO } from "../../../scripts/demo-data";
import { toE164 } from "../../shared/customers";
import {
  booleanOf,
  type Catalogue,
  dateOf,
  normaliseHeader,
  numberOf,
  phoneText,
  propertyColumns,
  skillsetLabel,
  textOf,
} from "./columns";
import { decodeText, detectDelimiter, looksLikeText, parseCsv } from "./csv";
import { directoryOf, mapHeader, readIdentities, validateRows } from "./validate";
import { checkZip, looksLikeZip } from "./zip-guard";

describe("csv", () => {
  it("parses RFC 4180 quoting, CRLF, LF and line breaks inside quotes", () => {
    expect(parseCsv('a,"b ""x"", c"\r\n"1\n2",3\n\n4,5\n')).toEqual([
      ["a", 'b "x", c'],
      ["1\n2", "3"],
      [""],
      ["4", "5"],
    ]);
    expect(parseCsv("a;b\n1;2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsv("a\n1\n2\n3", ",", 2)).toHaveLength(2);
  });

  it("detects the separator from the header line only, outside quotes", () => {
    expect(detectDelimiter('Phone;Name;"a,b,c"\n1,2,3,4,5')).toBe(";");
    expect(detectDelimiter("Phone\tName\n")).toBe("\t");
    expect(detectDelimiter("Phone\n")).toBe(",");
  });

  it("decodes UTF-8 with or without BOM, else Windows-1252, and tells text from binary", () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x63, 0x69, 0x74, 0xc3, 0xa0]))).toBe(
      "cità",
    );
    expect(decodeText(new Uint8Array([0x63, 0x69, 0x74, 0xe0, 0x80]))).toBe("cità€");
    expect(looksLikeText("Phone,Name\r\n+39,Anna\r\n")).toBe(true);
    expect(looksLikeText("PK\u0003\u0004\u0000")).toBe(false);
  });
});

describe("cells", () => {
  it("reads booleans the ways people and programs write them", () => {
    for (const yes of [true, 1, "yes", "YES", "true", "1", "sì", "si", "x", "X", "vero"]) {
      expect(booleanOf(yes)).toBe(true);
    }
    for (const no of [false, 0, "no", "false", "0", "falso"]) expect(booleanOf(no)).toBe(false);
    expect(booleanOf(null)).toBeNull();
    expect(booleanOf("  ")).toBeNull();
    expect(booleanOf("maybe")).toBeUndefined();
    expect(booleanOf(2)).toBeUndefined();
  });

  it("reads numbers, dates and phones, and undoes our formula neutralising once", () => {
    expect(numberOf("3,5")).toBe(3.5);
    expect(numberOf(" -2 ")).toBe(-2);
    expect(numberOf("1.234,5")).toBeUndefined();
    expect(dateOf(new Date(Date.UTC(2024, 1, 29)))).toBe("2024-02-29");
    expect(dateOf("2024-02-30")).toBeUndefined();
    expect(dateOf("2020-13-01")).toBeUndefined();
    expect(dateOf("15/03/2024")).toBeUndefined();
    expect(phoneText(393331234567)).toBe("+393331234567");
    expect(phoneText("0039 333-123.4567")).toBe("+393331234567");
    expect(phoneText("'+39 333 1234567")).toBe("+393331234567");
    expect(textOf("'=1+2")).toBe("=1+2");
    expect(textOf("''=1+2")).toBe("''=1+2");
    expect(textOf("'quoted")).toBe("'quoted");
    expect(textOf(12)).toBe("12");
  });
});

describe("columns", () => {
  const catalogue = (): Catalogue => ({
    properties: propertyColumns(
      [
        { name: "Tier", numberName: "Support" },
        { name: "tier", numberName: "Shop" },
        { name: "Phone", numberName: "Shop" },
        { name: "Zone", numberName: "Shop" },
      ].map((p, i) => ({
        id: `p${i}`,
        numberId: p.numberName,
        type: "text" as const,
        options: [],
        modifiableByAgent: true,
        showInCustomerList: false,
        ...p,
      })),
    ),
    skillsets: [
      { id: "s1", name: "Sales", numberName: "Support" },
      { id: "s2", name: "sales", numberName: "Shop" },
      { id: "s3", name: "Care", numberName: "Shop" },
    ],
  });

  it("gives each property a unique header and each skillset an unambiguous label", () => {
    const c = catalogue();
    expect(c.properties.map((p) => p.column)).toEqual([
      "Tier (Support)",
      "tier (Shop)",
      "Phone (Shop)",
      "Zone",
    ]);
    expect(skillsetLabel(c, "s1")).toBe("Sales (Support)");
    expect(skillsetLabel(c, "s3")).toBe("Care");
    expect(skillsetLabel(c, "gone")).toBeNull();
    expect(normaliseHeader("  Keep   message history * ")).toBe("keep message history");
  });

  it("maps headers case-insensitively, warns about unknown ones, and needs the phone", () => {
    const mapped = mapHeader(["PHONE", "zone", "Colour", null, "ID"], catalogue());
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect([...mapped.map.fixed]).toEqual(["phone"]);
    expect(mapped.map.properties.map((p) => p.id)).toEqual(["p3"]);
    expect(mapped.warnings).toEqual([
      { row: 1, column: "Colour", reason: "unknown column, ignored" },
    ]);
    expect(mapHeader(["Name"], catalogue())).toMatchObject({ ok: false, code: "missing_column" });
  });

  it("reads the export's ID and WhatsApp user ID columns as who a row is, once each", () => {
    const mapped = mapHeader(["ID", "Phone", "whatsapp user id", "Created"], catalogue());
    expect(mapped).toMatchObject({ ok: true, warnings: [] });
    if (!mapped.ok) return;
    expect(mapped.map.identity).toEqual({ id: 0, userId: 2 });
    expect(mapHeader(["ID", "Phone", "id"], catalogue())).toMatchObject({
      ok: false,
      code: "duplicate_column",
    });
  });
});

describe("matching rows to customers", () => {
  const catalogue: Catalogue = { properties: [], skillsets: [] };
  const byPhone = { id: "c-phone", contactKey: "393331234567", phone: "+393331234567" };
  // A username who later wrote from the same phone is a second record: the phone's own wins.
  const username = { id: "c-user", contactKey: "u:US.1", phone: "+393331234567" };
  const whatsapp = { id: "c-wa", contactKey: "972987654321", phone: "+972987654321" };
  const phoneless = { id: "c-bsuid", contactKey: "u:US.2", phone: null };

  function check(rows: (string | null)[][]) {
    const mapped = mapHeader(rows[0]!, catalogue);
    if (!mapped.ok) throw new Error("header refused");
    const identities = readIdentities(rows, mapped.map);
    const known = directoryOf([username, byPhone, whatsapp, phoneless]);
    return validateRows(rows, mapped.map, catalogue, known, identities);
  }

  it("matches by ID, else phone, else WhatsApp user ID, and accepts a phone WhatsApp gave a customer", () => {
    const result = check([
      ["ID", "Phone", "WhatsApp user ID"],
      ["c-bsuid", null, "US.2"],
      [null, "+39 333 123 4567", null],
      [null, "+972987654321", null],
      [null, "+972987654322", null],
    ]);
    expect(result.staged.map((r) => [r.rowNo, r.customerId, r.matchedBy, r.contactKey])).toEqual([
      [2, "c-bsuid", "id", "u:US.2"],
      [3, "c-phone", "phone", "393331234567"],
      [4, "c-wa", "phone", "972987654321"],
    ]);
    // A username without a phone needs none, and keeps their key.
    expect(result.staged[0]!.phone).toBeNull();
    expect(result.rejections).toEqual([
      {
        row: 5,
        column: "Phone",
        reason: "not a valid mobile number in international format, e.g. +393331234567",
      },
    ]);
    expect(result.kept).toEqual([]);
  });

  it("lets two customers WhatsApp gave one phone keep it, and refuses it to a third", () => {
    const result = check([
      ["ID", "Phone"],
      ["c-user", "+393331234567"],
      ["c-phone", "+39 333 1234567"],
      ["c-wa", "+393331234567"],
    ]);
    expect(result.staged.map((r) => [r.customerId, r.contactKey])).toEqual([
      ["c-user", "u:US.1"],
      ["c-phone", "393331234567"],
    ]);
    expect(result.rejections.map((r) => [r.row, r.reason])).toEqual([
      [4, "this phone already belongs to another customer"],
    ]);
  });

  it("keeps the customer of a refused row, once, and an unknown ID keeps nobody", () => {
    const result = check([
      ["ID", "Phone", "WhatsApp user ID"],
      [null, "+393331234567", "US.1"],
      ["c-bsuid", null, "US.9"],
      ["c-gone", "+972987654321", null],
      [null, "+972987654321", null],
      ["c-wa", null, null],
    ]);
    // Row 4's unknown ID named nobody: row 5 is the first to name that phone's customer.
    expect(result.staged.map((r) => [r.rowNo, r.customerId])).toEqual([[5, "c-wa"]]);
    expect(result.rejections.map((r) => [r.row, r.column, r.reason])).toEqual([
      [2, "WhatsApp user ID", "not this customer's WhatsApp user ID"],
      [3, "WhatsApp user ID", "not this customer's WhatsApp user ID"],
      [4, "ID", "no customer has this ID; leave it blank to add a new customer"],
      [6, "Phone", "missing phone"],
      [6, "ID", "same customer as row 5"],
    ]);
    expect(result.kept).toEqual([
      { rowNo: 2, customerId: "c-phone", contactKey: "393331234567" },
      { rowNo: 3, customerId: "c-bsuid", contactKey: "u:US.2" },
    ]);
  });
});

describe("demo data", () => {
  it("has customers whose phones pass our own phone check", () => {
    for (const [, phone] of DEMO.customers) expect(toE164(phone)).toBe(phone);
  });
});

describe("zip guard", () => {
  it("refuses what is not a well-formed archive", async () => {
    const notZip = new TextEncoder().encode("PK\u0003\u0004 but nothing else");
    expect(looksLikeZip(notZip)).toBe(true);
    expect(await checkZip(notZip)).toMatchObject({ ok: false, code: "unsupported_file" });
  });
});
