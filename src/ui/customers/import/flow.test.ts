import { describe, expect, it } from "vitest";
import { ImportUploadQuery, type ImportView } from "../../../shared/customer-import.ts";
import {
  canApply,
  importContentType,
  importUploadUrl,
  percent,
  progressOf,
  stageFromPoll,
} from "./flow.ts";

const view: ImportView = {
  id: "i1",
  fileName: "c.csv",
  mode: "upsert",
  status: "ready",
  totalRows: 10,
  processedRows: 10,
  validRows: 8,
  rejectedRows: 2,
  rejections: [],
  inserts: 5,
  updates: 3,
  unchanged: 0,
  deletes: 0,
  keptRows: 0,
  error: null,
  createdAt: 1,
  appliedAt: null,
};

describe("import upload", () => {
  it("builds the address the contract parses", () => {
    const id = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    const url = importUploadUrl(id, "replace", "Clienti marzo & aprile.xlsx");
    expect(url.startsWith("/api/customers/imports?")).toBe(true);
    const query = Object.fromEntries(new URL(url, "http://x").searchParams);
    expect(ImportUploadQuery.parse(query)).toEqual({
      id,
      mode: "replace",
      fileName: "Clienti marzo & aprile.xlsx",
    });
  });

  it("names the content type by extension", () => {
    expect(importContentType("A.XLSX")).toContain("spreadsheetml");
    expect(importContentType("a.csv")).toBe("text/csv");
    expect(importContentType("a.pdf")).toBe("application/octet-stream");
  });
});

describe("progress", () => {
  it("shows bytes sent, then rows checked; indeterminate when unknown", () => {
    expect(progressOf({ stage: "sending", sentBytes: 50, totalBytes: 200 })).toEqual({
      value: 50,
      max: 200,
    });
    expect(progressOf({ stage: "sending", sentBytes: 0, totalBytes: 0 }).value).toBe(null);
    expect(progressOf({ stage: "checking", processedRows: 300, totalRows: 200 })).toEqual({
      value: 200,
      max: 200,
    });
    expect(percent(1, 3)).toBe(33);
    expect(percent(1, 0)).toBe(0);
  });

  it("reads a poll only while the server is still receiving", () => {
    expect(stageFromPoll({ ...view, status: "receiving", processedRows: 4 })).toEqual({
      stage: "checking",
      processedRows: 4,
      totalRows: 10,
    });
    expect(stageFromPoll({ ...view, status: "receiving", totalRows: 0 })).toBe(null);
    expect(stageFromPoll(view)).toBe(null);
  });

  it("applies a ready preview with valid rows, once", () => {
    expect(canApply(view)).toBe(true);
    expect(canApply({ ...view, validRows: 0 })).toBe(false);
    expect(canApply({ ...view, status: "applied" })).toBe(false);
  });

  it("has nothing to apply when every valid row is unchanged, unless customers are deleted", () => {
    const same = { ...view, inserts: 0, updates: 0, unchanged: 8 };
    expect(canApply(same)).toBe(false);
    expect(canApply({ ...same, mode: "replace", deletes: 2 })).toBe(true);
    expect(canApply({ ...same, updates: 1, unchanged: 7 })).toBe(true);
  });
});
