import { describe, expect, it } from "vitest";
import { cleanFileName } from "./file-names";

describe("cleanFileName", () => {
  it("strips every bidirectional control, so a name reads as what it is", () => {
    expect(cleanFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    const bidi = "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
    expect(cleanFileName(`a${bidi}b.pdf`)).toBe("ab.pdf");
  });

  it("strips C0 and C1 controls, DEL and line separators, and trims", () => {
    expect(cleanFileName(" re\u0000port\t\n\u007f\u0085\u009f\u2028\u2029.pdf ")).toBe(
      "report.pdf",
    );
  });

  it("leaves ordinary names alone, accents, scripts and emoji included", () => {
    for (const name of ["Fattura è pronta.pdf", "عقد.pdf", "合同 (1).docx", "photo 📷.jpg"]) {
      expect(cleanFileName(name)).toBe(name);
    }
  });

  it("is idempotent", () => {
    const once = cleanFileName("x\u202Ey\u0007z");
    expect(cleanFileName(once)).toBe(once);
  });
});
