/**
 * Who may claim a managed number: only someone holding an access token that
 * proves it. Graph must let that token read the phone number id, and list it
 * under the given WhatsApp Business Account. Nothing is stored until the proof
 * holds. What Meta answered is sorted into outcomes a person can act on, named
 * by the field to fix, in the caller's language.
 */

import {
  type GraphError,
  type GraphRead,
  type GraphReadOptions,
  isRetryable,
  listWabaPhoneNumbers,
  readPhoneNumber,
} from "../../../meta/graph";
import { apiError } from "../../app/http";

/** What a number's credentials must prove. `wabaId` null: only that the token sees the number. */
export interface NumberClaim {
  phoneNumberId: string;
  wabaId: string | null;
  accessToken: string;
}

/** Why a proof failed. */
export type ProofFailure =
  | { kind: "token_refused" }
  | { kind: "number_not_visible" }
  | { kind: "waba_not_visible" }
  | { kind: "not_in_waba" }
  | { kind: "meta_unreachable" }
  | { kind: "meta_error"; code: number };

/** The proof's outcome: what Meta shows of the number, or why not. */
export type ProofResult =
  | { ok: true; displayPhoneNumber: string | null; verifiedName: string | null }
  | { ok: false; failure: ProofFailure };

/** Meta's codes of a token it does not accept (expired, revoked, malformed). */
const TOKEN_CODES = new Set([102, 190]);
/** Meta's codes of an object the token may not read, or that does not exist (100/33). */
const INVISIBLE_CODES = new Set([10, 100, 803]);

/** Sorts one failed read: the token, the object (`invisible`), or Meta itself. Pure. */
export function classifyReadError(error: GraphError, invisible: ProofFailure): ProofFailure {
  if (error.httpStatus === null) return { kind: "meta_unreachable" };
  if (error.httpStatus === 401 || TOKEN_CODES.has(error.code)) {
    return { kind: "token_refused" };
  }
  if (isRetryable(error.httpStatus, error.code)) return { kind: "meta_unreachable" };
  if (INVISIBLE_CODES.has(error.code) || (error.code >= 200 && error.code <= 299)) {
    return invisible;
  }
  if (error.httpStatus === 403 || error.httpStatus === 404) return invisible;
  return { kind: "meta_error", code: error.code };
}

function failed<T>(read: GraphRead<T>, invisible: ProofFailure): ProofResult | null {
  return read.ok ? null : { ok: false, failure: classifyReadError(read.error, invisible) };
}

/**
 * Asks Graph, with the claim's token and a timeout, whether the token may read
 * the phone number and whether the WABA lists it. Never throws; reads only.
 */
export async function proveNumber(
  graphBase: string,
  claim: NumberClaim,
  opts: GraphReadOptions = {},
): Promise<ProofResult> {
  const number = await readPhoneNumber(graphBase, claim, opts);
  const numberFailure = failed(number, { kind: "number_not_visible" });
  if (numberFailure || !number.ok) return numberFailure!;
  if (claim.wabaId !== null) {
    const listed = await listWabaPhoneNumbers(
      graphBase,
      { wabaId: claim.wabaId, accessToken: claim.accessToken },
      opts,
    );
    const listFailure = failed(listed, { kind: "waba_not_visible" });
    if (listFailure || !listed.ok) return listFailure!;
    if (!listed.value.includes(claim.phoneNumberId)) {
      return { ok: false, failure: { kind: "not_in_waba" } };
    }
  }
  return {
    ok: true,
    displayPhoneNumber: number.value.display_phone_number ?? null,
    verifiedName: number.value.verified_name ?? null,
  };
}

/** Which request field each part of a claim came from (they differ between create, edit and credentials). */
export interface ClaimPaths {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
}

type Language = "en" | "it";

/** What each failure tells the admin, in both languages. */
function failureText(failure: ProofFailure, language: Language): string {
  const it = language === "it";
  switch (failure.kind) {
    case "token_refused":
      return it
        ? "Meta non accetta questo token di accesso: potrebbe essere errato, scaduto o revocato."
        : "Meta does not accept this access token: it may be wrong, expired or revoked.";
    case "number_not_visible":
      return it
        ? "Con questo token di accesso il numero non è visibile: controlla l'ID del numero di telefono, oppure usa un token dell'account WhatsApp Business a cui appartiene il numero."
        : "This access token cannot see this number: check the phone number ID, or use a token of the WhatsApp Business Account the number belongs to.";
    case "waba_not_visible":
      return it
        ? "Con questo token di accesso l'account WhatsApp Business non è visibile: controlla l'ID dell'account e i permessi del token."
        : "This access token cannot see this WhatsApp Business Account: check the account ID and the token's permissions.";
    case "not_in_waba":
      return it
        ? "Questo numero non appartiene a questo account WhatsApp Business: controlla l'ID dell'account."
        : "This number is not in this WhatsApp Business Account: check the account ID.";
    case "meta_unreachable":
      return it
        ? "Meta non ha risposto in tempo, quindi non è stato possibile verificare il numero. Non è stato salvato nulla: riprova tra un minuto."
        : "Meta did not answer in time, so the number could not be checked. Nothing was saved: try again in a minute.";
    case "meta_error":
      return it
        ? `Meta ha risposto alla verifica con un errore inatteso (codice ${failure.code}). Non è stato salvato nulla: riprova più tardi.`
        : `Meta answered the check with an unexpected error (code ${failure.code}). Nothing was saved: try again later.`;
  }
}

/** The field a failure names. */
function failurePath(failure: ProofFailure, paths: ClaimPaths): string | null {
  switch (failure.kind) {
    case "token_refused":
      return paths.accessToken;
    case "number_not_visible":
      return paths.phoneNumberId;
    case "waba_not_visible":
    case "not_in_waba":
      return paths.wabaId;
    case "meta_unreachable":
    case "meta_error":
      return null;
  }
}

/**
 * Answers the failed proof: 400 naming the field to fix (code `number_not_proved`),
 * 503 when Meta did not answer (`meta_unavailable`), 502 when it answered with
 * an error we cannot place (`meta_error`).
 */
export function refuseClaim(failure: ProofFailure, paths: ClaimPaths, language: Language): never {
  const message = failureText(failure, language);
  const path = failurePath(failure, paths);
  if (failure.kind === "meta_unreachable") apiError(503, "meta_unavailable", message);
  if (failure.kind === "meta_error" || path === null) apiError(502, "meta_error", message);
  apiError(400, "number_not_proved", message, [{ path, message }]);
}

/** Proves the claim or answers as `refuseClaim` does. */
export async function requireProof(
  graphBase: string,
  claim: NumberClaim,
  paths: ClaimPaths,
  language: Language,
): Promise<void> {
  const result = await proveNumber(graphBase, claim);
  if (!result.ok) refuseClaim(result.failure, paths, language);
}
