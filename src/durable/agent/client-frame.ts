/**
 * A desktop's WebSocket frame, read against the protocol (`ClientFrame`), or
 * the fixed text that a `bad_frame` answer carries.
 */
import { ActionRef, ClientFrame } from "../../shared/protocol";

/**
 * A desktop's frame parsed against the protocol, or the fixed text that a
 * `bad_frame` answer carries (with the action's `ref`, when the frame was an
 * action with a well-formed one): it names at most the fields that are wrong
 * (zod's paths), never an exception's message or stack, which could echo the
 * frame back or describe the runtime. Pure.
 */
export function readClientFrame(
  data: string | ArrayBuffer,
): { ok: true; frame: ClientFrame } | { ok: false; message: string; ref?: string } {
  let json: unknown;
  try {
    json = JSON.parse(typeof data === "string" ? data : new TextDecoder().decode(data));
  } catch {
    return { ok: false, message: "The frame is not JSON" };
  }
  const parsed = ClientFrame.safeParse(json);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const fields = [
    ...new Set(
      parsed.error.issues
        .map((issue) => issue.path.filter((p) => typeof p !== "symbol").join("."))
        .filter((path) => /^[\w.]{1,64}$/.test(path)),
    ),
  ].slice(0, 5);
  // An action's ref, when it reads as one, so the desktop stops waiting for its result.
  const ref = (json as { ref?: unknown } | null)?.ref;
  return {
    ok: false,
    message:
      fields.length > 0
        ? `The frame does not fit the protocol (fields: ${fields.join(", ")})`
        : "The frame does not fit the protocol",
    ...(ActionRef.safeParse(ref).success ? { ref: ref as string } : {}),
  };
}
