/**
 * The import page's pure parts: the upload's address and content type, what the
 * progress bar shows in each phase, and whether an import may be applied. Unit-tested.
 */
import type { ImportMode, ImportView } from "../../../shared/customer-import.ts";

/** The file types the picker offers (the server decides for real). */
export const IMPORT_ACCEPT = ".xlsx,.csv";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * The Content-Type to upload a file with, by its name: browsers often leave `File.type`
 * empty for .csv. Anything else goes as octet-stream and the server answers 415.
 */
export function importContentType(fileName: string): string {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".xlsx")) return XLSX_TYPE;
  if (lower.endsWith(".csv")) return "text/csv";
  return "application/octet-stream";
}

/** POST address of an upload; the client picks the import's id (a UUID) to poll it meanwhile. */
export function importUploadUrl(id: string, mode: ImportMode, fileName: string): string {
  const params = new URLSearchParams({ id, mode, fileName: fileName.slice(0, 200) });
  return `/api/customers/imports?${params.toString()}`;
}

/** Where an upload stands: bytes sent so far, then rows the server has checked. */
export type UploadStage =
  | { stage: "sending"; sentBytes: number; totalBytes: number }
  | { stage: "checking"; processedRows: number; totalRows: number };

/** The progress bar's value and maximum; null value = indeterminate (size not known yet). */
export function progressOf(stage: UploadStage): { value: number | null; max: number } {
  if (stage.stage === "sending") {
    return stage.totalBytes > 0
      ? { value: Math.min(stage.sentBytes, stage.totalBytes), max: stage.totalBytes }
      : { value: null, max: 1 };
  }
  return stage.totalRows > 0
    ? { value: Math.min(stage.processedRows, stage.totalRows), max: stage.totalRows }
    : { value: null, max: 1 };
}

/** Whole percent of a progress, for the text beside the bar. */
export function percent(value: number, max: number): number {
  return max > 0 ? Math.floor((value / max) * 100) : 0;
}

/**
 * The stage a poll of the import shows while the upload is still under way, or null
 * when the poll says nothing new (not created yet, or no rows counted yet).
 */
export function stageFromPoll(view: ImportView): UploadStage | null {
  if (view.status !== "receiving" || view.totalRows === 0) return null;
  return { stage: "checking", processedRows: view.processedRows, totalRows: view.totalRows };
}

/**
 * An import can be applied once: when its preview is ready, has valid rows (a file
 * with none never empties the list) and would change something — a file whose
 * rows are all unchanged has nothing to apply.
 */
export function canApply(view: ImportView): boolean {
  return (
    view.status === "ready" && view.validRows > 0 && view.inserts + view.updates + view.deletes > 0
  );
}
