/**
 * The composer's calls: the tenant's predefined locations and messages and its
 * meeting URL, and uploads with progress (XMLHttpRequest: fetch cannot report
 * upload progress).
 */
import {
  DeskLocations,
  DeskMeeting,
  DeskPredefined,
  UploadView,
} from "../../../shared/protocol.ts";
import { ApiError, errorOfAnswer, NetworkError, request } from "../../api.ts";

/** The tenant's predefined locations (read when the picker opens: admins may have changed them). */
export const deskLocations = () => request("/api/desk/locations", DeskLocations);
/** The tenant's predefined messages, by category then title. */
export const deskPredefined = () => request("/api/desk/predefined-messages", DeskPredefined);
/** The tenant's meeting URL ("" when none). */
export const deskMeeting = () => request("/api/desk/meeting-url", DeskMeeting);

/** An upload in flight: its result, and how to stop it. */
export interface UploadHandle {
  done: Promise<UploadView>;
  abort: () => void;
}

/**
 * Uploads `file` to a conversation (multipart `file` + optional `kind`),
 * reporting progress 0–1. Rejects with ApiError (the server's refusal: 413,
 * 415…) or NetworkError; an abort rejects with NetworkError("aborted").
 */
export function uploadFile(
  conversationId: string,
  file: Blob,
  filename: string,
  kind: string | undefined,
  onProgress: (fraction: number) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadView>((resolve, reject) => {
    const form = new FormData();
    form.set("file", file, filename);
    if (kind) form.set("kind", kind);
    xhr.open("POST", `/api/conversations/${encodeURIComponent(conversationId)}/uploads`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Accept-Language", document.documentElement.lang || "en");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new NetworkError("upload failed"));
    xhr.onabort = () => reject(new NetworkError("aborted"));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: handled below by status.
      }
      if (xhr.status === 201) {
        const parsed = UploadView.safeParse(body);
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiError(xhr.status, "bad_response", "Unexpected upload response"));
        return;
      }
      reject(errorOfAnswer(xhr.status, xhr.statusText, body));
    };
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
