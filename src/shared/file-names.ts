/**
 * File names that come from outside (an agent's upload, a customer's document
 * from Meta, an imported spreadsheet) are shown to people and put in headers:
 * they keep no control characters. Bidirectional controls matter most: with
 * U+202E (right-to-left override) "invoice\u202Efdp.exe" reads as
 * "invoiceexe.pdf" while it is an .exe. Pure, shared by the Worker, the actors
 * and the desktop.
 */

/**
 * What a file name never keeps: C0 and C1 controls and DEL; the bidirectional
 * marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069); the line and paragraph separators.
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

/** `name` without control or bidirectional control characters, trimmed. Idempotent. */
export function cleanFileName(name: string): string {
  return name.replace(UNSAFE, "").trim();
}
