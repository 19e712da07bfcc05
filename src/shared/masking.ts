/**
 * Masking of sensitive data in free text, for agents of tenants that turn it on:
 * payment card numbers (Luhn-valid, 13–19 digits), IBANs (mod-97 valid, with the
 * country's length), social security numbers (US `ddd-dd-dddd` and the Italian
 * codice fiscale, check character valid), e-mail addresses and phone numbers
 * (8–15 digits). Pure, no dependencies, so the Worker and the actors share it.
 *
 * Every mask keeps the text's length and layout: each hidden character becomes
 * one `*` (spaces stay), so a mask never moves what is around it and the
 * highlight marks of a search snippet can be put back where they were. Cards,
 * IBANs, SSNs and phones keep their last 4 digits or characters (what people
 * read back to check a number); e-mails keep the first letter and the domain,
 * as in `melissa@gmail.com` → `m******@gmail.com`. Masking is idempotent.
 *
 * What it must leave alone: times (12:30), dates (2026-11-21, 21/11/2026,
 * 21.11.2026), amounts (1.234.567,89 and 1,234.56), short numbers, UUIDs and
 * other ids glued to letters or hyphens, IP addresses.
 */

/** The character every hidden character becomes. */
export const MASK = "*";

// Private-use characters (the history search's match marks) never take part in
// detection: they are lifted out, the plain text is masked, and they go back.
const MARKS = /[\u{E000}\u{E001}]/u;

// Not preceded by a letter, digit or underscore, nor by a separator glued to one
// ("ab-123…", "1.234…", "v:123"), so a run is never the tail of a word or number.
const START = String.raw`(?<![\p{L}\p{N}_])(?<![\p{L}\p{N}_][.,:/\-])`;
// Not followed by one either ("…123abc", "…123.45", "…12:30").
const END = String.raw`(?![.,:/\-]?[\p{L}\p{N}_])`;

const EMAIL = /[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}/gu;
const IBAN = new RegExp(String.raw`${START}[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}`, "gu");
const FISCAL_CODE = new RegExp(
  String.raw`${START}[A-Za-z]{6}[\dLMNP-Vlmnp-v]{2}[A-EHLMPR-Ta-ehlmpr-t][\dLMNP-Vlmnp-v]{2}[A-Za-z][\dLMNP-Vlmnp-v]{3}[A-Za-z](?![\p{L}\p{N}_])`,
  "gu",
);
const US_SSN = new RegExp(String.raw`${START}\d{3}-\d{2}-\d{4}${END}`, "gu");
const CARD = new RegExp(String.raw`${START}\d(?:[ -]?\d){12,18}${END}`, "gu");
// An optional "+" (which may follow a colon: "tel:+44…"), an optional "(",
// then digits with at most two separators between them: spaces, dots,
// hyphens or brackets ("+39 (02) 1234-5678").
const PHONE = new RegExp(
  String.raw`(?:(?<![\p{L}\p{N}_+])\+|${START}(?=[(\d]))\(?\d(?:[ .()\-]{1,2}\d|\d)*${END}`,
  "gu",
);

/** IBAN lengths by country (ISO 13616 registry): a country's IBANs all have its length. */
const IBAN_LENGTHS: Record<string, number> = Object.fromEntries(
  (
    "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 " +
    "EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 " +
    "IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 " +
    "NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 " +
    "TR26 UA29 VA22 VG24 XK20"
  )
    .split(" ")
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

const digitsOf = (s: string) => s.replace(/\D/g, "");

/** Whether the digits pass the Luhn check every payment card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Whether an IBAN (letters and digits only, any case) has its country's length and passes mod 97. */
export function ibanValid(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" ? ch.charCodeAt(0) - 55 : Number(ch);
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

// Values of the codice fiscale's characters in odd positions (1st, 3rd…), digits and letters alike.
const FISCAL_ODD = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/** Whether an Italian codice fiscale (16 characters) has the right check character. */
export function fiscalCodeValid(code: string): boolean {
  const upper = code.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = upper[i]!;
    const index = ch <= "9" ? Number(ch) : ch.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? FISCAL_ODD[index]! : index;
  }
  return String.fromCharCode(65 + (sum % 26)) === upper[15];
}

/** `value` with every letter, digit and sign hidden but the last `keep` letters or digits; spaces stay. */
function keepLast(value: string, keep: number, hide: RegExp): string {
  let kept = 0;
  const out: string[] = [];
  for (let i = value.length - 1; i >= 0; i--) {
    const ch = value[i]!;
    if (/[\p{L}\p{N}]/u.test(ch) && kept < keep) {
      kept += 1;
      out.push(ch);
    } else out.push(hide.test(ch) ? MASK : ch);
  }
  return out.reverse().join("");
}

const PHONE_SIGNS = /[\p{N}+().-]/u;
const DIGIT = /\p{N}/u;

/**
 * A value known to be a phone number, masked: every digit and sign becomes `*`
 * but the last 4 digits (`+447966197542` → `*********7542`); spaces stay. With
 * fewer than 8 digits nothing is kept. Idempotent.
 */
export function maskPhone(value: string): string {
  // Hidden digits count too, so masking a masked phone again changes nothing.
  const digits = value.replace(/[^\p{N}*]/gu, "").length;
  return keepLast(value, digits >= 8 ? 4 : 0, PHONE_SIGNS);
}

/** An e-mail address with its local part hidden but the first character. */
function maskEmail(value: string): string {
  const at = value.indexOf("@");
  return value.slice(0, 1) + MASK.repeat(Math.max(0, at - 1)) + value.slice(at);
}

const ALNUM = /[\p{L}\p{N}]/u;
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;
const THOUSANDS = /^\d{1,3}(?:[.,]\d{3})+$/;
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}$/;

interface Span {
  start: number;
  end: number;
  masked: string;
}

type Finder = (text: string) => Span[];

function finder(pattern: RegExp, mask: (match: string) => string | null): Finder {
  return (text) => {
    const spans: Span[] = [];
    for (const m of text.matchAll(pattern)) {
      const masked = mask(m[0]);
      if (masked !== null) spans.push({ start: m.index, end: m.index + m[0].length, masked });
    }
    return spans;
  };
}

/** The longest prefix of an IBAN-looking run that is a valid IBAN, ending at a word's end. */
function ibanPrefix(text: string, start: number, run: string): string | null {
  const length = IBAN_LENGTHS[run.slice(0, 2).toUpperCase()];
  if (!length) return null;
  let count = 0;
  for (let i = 0; i < run.length; i++) {
    if (run[i] === " ") continue;
    count += 1;
    if (count === length) {
      const prefix = run.slice(0, i + 1);
      const next = text[start + i + 1] ?? "";
      return !ALNUM.test(next) && ibanValid(prefix.replace(/ /g, "")) ? prefix : null;
    }
  }
  return null;
}

const findIbans: Finder = (text) => {
  const spans: Span[] = [];
  for (const m of text.matchAll(IBAN)) {
    const iban = ibanPrefix(text, m.index, m[0]);
    if (iban)
      spans.push({
        start: m.index,
        end: m.index + iban.length,
        masked: keepLast(iban, 4, ALNUM),
      });
  }
  return spans;
};

/** The finders in the order they claim text: the first to claim a span keeps it. */
const FINDERS: Finder[] = [
  finder(EMAIL, maskEmail),
  findIbans,
  finder(FISCAL_CODE, (m) => (fiscalCodeValid(m) ? keepLast(m, 4, ALNUM) : null)),
  finder(US_SSN, (m) => (/^(?:000|666|9\d\d)|-00-|-0000$/.test(m) ? null : keepLast(m, 4, DIGIT))),
  finder(CARD, (m) => (luhnValid(digitsOf(m)) ? keepLast(m, 4, DIGIT) : null)),
  finder(PHONE, (m) => {
    const digits = digitsOf(m).length;
    if (digits < 8 || digits > 15) return null;
    if (DATE.test(m) || THOUSANDS.test(m) || IP_ADDRESS.test(m)) return null;
    return maskPhone(m);
  }),
];

function maskPlain(text: string): string {
  const claimed: Span[] = [];
  for (const find of FINDERS) {
    for (const span of find(text)) {
      if (!claimed.some((c) => span.start < c.end && c.start < span.end)) claimed.push(span);
    }
  }
  if (claimed.length === 0) return text;
  claimed.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const span of claimed) {
    out += text.slice(at, span.start) + span.masked;
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * `text` with every card number, IBAN, social security number, e-mail address
 * and phone number in it masked; everything else unchanged, at the same
 * positions (the history search's U+E000/U+E001 marks included). Idempotent.
 */
export function maskText(text: string): string {
  if (!/[\d@]/.test(text)) return text;
  if (!MARKS.test(text)) return maskPlain(text);
  const marks: [number, string][] = [];
  let plain = "";
  for (const ch of text) {
    if (MARKS.test(ch)) marks.push([plain.length, ch]);
    else plain += ch;
  }
  const masked = maskPlain(plain);
  let out = "";
  let at = 0;
  for (const [position, mark] of marks) {
    out += masked.slice(at, position) + mark;
    at = position;
  }
  return out + masked.slice(at);
}

// ---- JSON answers and frames for masked agents ------------------------------------

/** Keys whose string values are phone numbers: masked whole, keeping the last 4 digits. */
const PHONE_KEYS = new Set(["phone", "phones", "customerPhone", "waId"]);

/**
 * Keys whose string values are free text or names that may hold sensitive data:
 * masked where a card, IBAN, SSN, e-mail or phone is found in them. Names are
 * included because a customer without a name is named after their phone, and
 * masking leaves ordinary names as they are.
 */
const TEXT_KEYS = new Set([
  "text",
  "caption",
  "body",
  "excerpt",
  "snippet",
  "snippets",
  "matches",
  "notes",
  "closeNotes",
  "closeReason",
  "name",
  "customerName",
  "senderName",
  "externalId",
  "email",
  "emails",
  "address",
  "lastMessage",
  "lastMessageText",
  "preview",
  "filename",
  // A reply button or list row the customer chose.
  "title",
  "description",
  // A notice's detail (the address a transcript could not be mailed to).
  "detail",
]);

/** Keys whose value is a map of free values (a customer's custom properties, by id): all masked as text. */
const MAP_KEYS = new Set(["properties"]);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Masker = (value: string) => string;

/** Masks every string under `value` with `mask` (the key above it decided which). */
function maskAll(value: Json, mask: Masker): Json {
  if (typeof value === "string") return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskAll(v, mask));
  if (value && typeof value === "object") {
    // An object under a listed key (a contact card, a quoted message) follows its own keys.
    return maskJson(value);
  }
  return value;
}

/**
 * A JSON value with the listed keys' strings masked, at any depth; everything
 * else unchanged. Pure; idempotent.
 */
export function maskJson(value: Json): Json {
  if (Array.isArray(value)) return value.map(maskJson);
  if (!value || typeof value !== "object") return value;
  const out: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(value)) {
    if (MAP_KEYS.has(key) && child && typeof child === "object" && !Array.isArray(child)) {
      out[key] = Object.fromEntries(
        Object.entries(child).map(([id, v]) => [id, typeof v === "string" ? maskText(v) : v]),
      );
    } else if (PHONE_KEYS.has(key)) out[key] = maskAll(child, maskPhone);
    else if (TEXT_KEYS.has(key)) out[key] = maskAll(child, maskText);
    else out[key] = maskJson(child);
  }
  return out;
}
