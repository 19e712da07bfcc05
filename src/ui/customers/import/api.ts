/**
 * The customer import API: polling an import, its valid rows, applying it, and the
 * upload itself (XMLHttpRequest, because fetch cannot report upload progress).
 */
import { Page } from "../../../shared/admin.ts";
import { type ImportMode, ImportPreviewRow, ImportView } from "../../../shared/customer-import.ts";
import { ApiError, errorOfAnswer, NetworkError, request } from "../../api.ts";
import { importContentType, importUploadUrl } from "./flow.ts";

const base = (id: string) => `/api/customers/imports/${encodeURIComponent(id)}`;

/** The blank .xlsx with the mandatory columns marked and a column per property. */
export const IMPORT_TEMPLATE_URL = "/api/customers/import-template.xlsx";

export const importApi = {
  get: (id: string) => request(base(id), ImportView),
  rows: (id: string, page: number, pageSize: number) =>
    request(`${base(id)}/rows?page=${page}&pageSize=${pageSize}`, Page(ImportPreviewRow)),
  /** Applies every valid row at once; 409 when it was applied already. */
  apply: (id: string) => request(`${base(id)}/apply`, ImportView, { method: "POST" }),
};

/** The server's error body as an ApiError, else one made of the status. */
function errorOf(xhr: XMLHttpRequest): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    // not JSON: made of the status
  }
  return errorOfAnswer(xhr.status, xhr.statusText, body);
}

/**
 * Uploads `file` as the raw body of a new import `id`. `onSent` reports bytes sent.
 * Resolves with the import's preview; rejects with ApiError (413/415/422… with the
 * server's message) or NetworkError. `signal` aborts the upload.
 */
export function uploadImport(
  file: File,
  id: string,
  mode: ImportMode,
  onSent: (sentBytes: number, totalBytes: number) => void,
  signal?: AbortSignal,
): Promise<ImportView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", importUploadUrl(id, mode, file.name));
    xhr.setRequestHeader("Content-Type", importContentType(file.name));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Accept-Language", document.documentElement.lang || "en");
    xhr.upload.onprogress = (event) =>
      onSent(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(errorOf(xhr));
        return;
      }
      try {
        const parsed = ImportView.safeParse(JSON.parse(xhr.responseText));
        if (parsed.success) resolve(parsed.data);
        else
          reject(new ApiError(xhr.status, "bad_response", "Unexpected response from the import"));
      } catch (error) {
        reject(new ApiError(xhr.status, "bad_response", String(error)));
      }
    };
    xhr.onerror = () => reject(new NetworkError("upload failed"));
    xhr.onabort = () => reject(new NetworkError("upload aborted"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
