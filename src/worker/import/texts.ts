/**
 * What an import tells people, in English and Italian: why a file is refused
 * and why a row is. Problems travel as data (`FileProblem`, `RowProblem`) and
 * become words here, in the uploader's language (the UI's, sent as
 * Accept-Language). Row reasons are stored in the import as words, so the
 * preview reads in the language of whoever uploaded the file.
 */
import type { CustomerField } from "../../shared/customer-import";

export type Language = "en" | "it";

/** Why a whole file is refused, and the HTTP status and error code that say so. */
export type FileProblem =
  | {
      code: "unsupported_file";
      status: 415;
      what:
        | "xls"
        | "pdf"
        | "image"
        | "utf16"
        | "emptyZip"
        | "notWorkbook"
        | "unreadable"
        | "empty"
        | "notSpreadsheet"
        | "encrypted";
    }
  /** A damaged or unusual archive; `detail` is technical and stays in English. */
  | { code: "unsupported_file"; status: 415; what: "damaged"; detail: string }
  | { code: "zip_bomb"; status: 422; detail: string }
  | { code: "file_too_large"; status: 413; what: "body" | "expanded"; limitMb: number }
  | { code: "too_many_rows"; status: 422; limit: number }
  | { code: "missing_column"; status: 422 }
  | { code: "duplicate_column"; status: 422; names: string[] };

/** Why one cell or row is refused. */
export type RowProblem =
  | { kind: "missingPhone" }
  | { kind: "badPhone" }
  | { kind: "duplicatePhone"; firstRow: number }
  /** Another row already names the same customer (by ID, phone or WhatsApp user ID). */
  | { kind: "sameCustomer"; firstRow: number }
  /** The ID column names no customer of this tenant. */
  | { kind: "unknownId" }
  /** The row's customer would take a phone another customer has. */
  | { kind: "phoneTaken" }
  /** The WhatsApp user ID is not the one of the customer the row names. */
  | { kind: "userIdMismatch" }
  /** The WhatsApp user ID names no customer (it is Meta's, it cannot be set by a file). */
  | { kind: "unknownUserId" }
  | { kind: "tooLong"; max: number }
  | { kind: "yesNo" }
  | { kind: "priority" }
  | { kind: "ambiguousSkillset" }
  | { kind: "unknownSkillset" }
  | { kind: "property"; type: CustomerField["type"]; options: string[] }
  | { kind: "unknownColumn" };

const ACCEPTED = {
  en: "Upload an Excel workbook (.xlsx) or a CSV file.",
  it: "Carica una cartella di lavoro Excel (.xlsx) o un file CSV.",
};

const UNSUPPORTED: Record<
  Exclude<Extract<FileProblem, { code: "unsupported_file" }>["what"], "damaged">,
  Record<Language, string>
> = {
  xls: {
    en: "This is an old-format Excel file (.xls) or a password-protected workbook, which cannot be read: save it as .xlsx without a password.",
    it: "Questo è un file Excel nel vecchio formato (.xls) o una cartella di lavoro protetta da password, che non si può leggere: salvalo come .xlsx senza password.",
  },
  pdf: {
    en: "This is a PDF document, not a spreadsheet.",
    it: "Questo è un documento PDF, non un foglio di calcolo.",
  },
  image: {
    en: "This is an image, not a spreadsheet.",
    it: "Questa è un'immagine, non un foglio di calcolo.",
  },
  utf16: {
    en: 'This is UTF-16 text (Excel\'s "Unicode text"): save it as "CSV UTF-8" instead.',
    it: 'Questo è testo UTF-16 ("Testo Unicode" di Excel): salvalo invece come "CSV UTF-8".',
  },
  emptyZip: { en: "This is an empty ZIP archive.", it: "Questo è un archivio ZIP vuoto." },
  notWorkbook: {
    en: "This is a ZIP archive but not an Excel workbook.",
    it: "Questo è un archivio ZIP ma non una cartella di lavoro Excel.",
  },
  unreadable: {
    en: "The workbook could not be read (it may be damaged).",
    it: "Non è stato possibile leggere la cartella di lavoro (potrebbe essere danneggiata).",
  },
  empty: { en: "The file is empty.", it: "Il file è vuoto." },
  notSpreadsheet: {
    en: "This file is not a spreadsheet.",
    it: "Questo file non è un foglio di calcolo.",
  },
  encrypted: {
    en: "The workbook is protected by a password: remove the password and save it again.",
    it: "La cartella di lavoro è protetta da password: togli la password e salvala di nuovo.",
  },
};

function count(n: number, lang: Language): string {
  return n.toLocaleString(lang === "it" ? "it-IT" : "en-US");
}

/** The sentence a refused file gets, in `lang`. */
export function fileProblemText(p: FileProblem, lang: Language): string {
  const it = lang === "it";
  switch (p.code) {
    case "unsupported_file":
      if (p.what === "damaged") {
        return it
          ? `Il file non è una cartella di lavoro .xlsx leggibile (${p.detail}). Salvalo di nuovo come cartella di lavoro Excel (.xlsx) o come CSV.`
          : `The file is not a readable .xlsx workbook (${p.detail}). Save it again as an Excel workbook (.xlsx) or as CSV.`;
      }
      return `${UNSUPPORTED[p.what][lang]} ${ACCEPTED[lang]}`;
    case "zip_bomb":
      return it
        ? `Il file è stato rifiutato perché sembra una «zip bomb» (${p.detail}).`
        : `The file was refused because it looks like a zip bomb: ${p.detail}.`;
    case "file_too_large":
      if (p.what === "expanded") {
        return it
          ? `Una volta decompresso il file supera ${p.limitMb} MB: dividilo in file più piccoli.`
          : `The file expands to more than ${p.limitMb} MB once unpacked; split it into smaller files.`;
      }
      return it
        ? `Il file supera ${p.limitMb} MB: dividilo in file più piccoli.`
        : `The file is larger than ${p.limitMb} MB; split it into smaller files.`;
    case "too_many_rows":
      return it
        ? `Il file ha più di ${count(p.limit, lang)} righe di dati: dividilo in file di al massimo ${count(p.limit, lang)} righe.`
        : `The file has more than ${count(p.limit, lang)} data rows; split it into files of at most ${count(p.limit, lang)} rows.`;
    case "missing_column":
      return it
        ? 'Il file non ha la colonna "Phone" (la riga 1 deve essere quella delle intestazioni, come nel modello).'
        : 'The file has no "Phone" column (row 1 must be the header row, as in the template).';
    case "duplicate_column": {
      const names = p.names.map((n) => `"${n}"`).join(it ? " e " : " and ");
      return it
        ? `Le colonne ${names} sono lo stesso campo: tienine una sola.`
        : `The columns ${names} are the same field; keep one of them.`;
    }
  }
}

function expected(p: Extract<RowProblem, { kind: "property" }>, lang: Language): string {
  const it = lang === "it";
  switch (p.type) {
    case "number":
      return it ? "un numero" : "a number";
    case "boolean":
      return it ? "sì o no" : "yes or no";
    case "date":
      return it ? "una data AAAA-MM-GG" : "a date YYYY-MM-DD";
    case "choice":
      return `${it ? "uno tra" : "one of"} ${p.options.join(", ")}`;
    case "text":
      return it ? "un testo" : "a text";
  }
}

/** The reason a refused cell or row shows in the preview, in `lang`. */
export function rowProblemText(p: RowProblem, lang: Language): string {
  const it = lang === "it";
  switch (p.kind) {
    case "missingPhone":
      return it ? "telefono mancante" : "missing phone";
    case "badPhone":
      return it
        ? "non è un numero di cellulare valido in formato internazionale, es. +393331234567"
        : "not a valid mobile number in international format, e.g. +393331234567";
    case "duplicatePhone":
      return it
        ? `telefono duplicato: uguale alla riga ${p.firstRow}`
        : `duplicate phone: same as row ${p.firstRow}`;
    case "sameCustomer":
      return it ? `stesso cliente della riga ${p.firstRow}` : `same customer as row ${p.firstRow}`;
    case "unknownId":
      return it
        ? "nessun cliente ha questo ID: lascialo vuoto per aggiungere un nuovo cliente"
        : "no customer has this ID; leave it blank to add a new customer";
    case "phoneTaken":
      return it
        ? "questo telefono è già di un altro cliente"
        : "this phone already belongs to another customer";
    case "userIdMismatch":
      return it
        ? "non è l'ID utente WhatsApp di questo cliente"
        : "not this customer's WhatsApp user ID";
    case "unknownUserId":
      return it
        ? "nessun cliente ha questo ID utente WhatsApp: lo assegna WhatsApp, non si può importare"
        : "no customer has this WhatsApp user ID; WhatsApp assigns it, so it cannot be imported";
    case "tooLong":
      return it ? `al massimo ${p.max} caratteri` : `at most ${p.max} characters`;
    case "yesNo":
      return it ? "deve essere sì o no" : "must be yes or no";
    case "priority":
      return it ? "deve essere un numero intero da 1 a 9" : "must be a whole number from 1 to 9";
    case "ambiguousSkillset":
      return it
        ? 'skillset ambiguo: scrivilo come "nome (numero)"'
        : 'ambiguous skillset: write it as "name (number)"';
    case "unknownSkillset":
      return it ? "skillset sconosciuto" : "unknown skillset";
    case "property":
      return `${it ? "deve essere" : "must be"} ${expected(p, lang)}`;
    case "unknownColumn":
      return it ? "colonna sconosciuta, ignorata" : "unknown column, ignored";
  }
}

/** Why an import's apply was refused or failed. */
export type ApplyProblem =
  | { kind: "notReady"; status: "receiving" | "applied" | "failed" | "interrupted" }
  | { kind: "customersChanged" }
  | { kind: "failed" };

const STATUS_IT: Record<Extract<ApplyProblem, { kind: "notReady" }>["status"], string> = {
  receiving: "è ancora in controllo",
  applied: "è già stata applicata",
  failed: "non è riuscita",
  interrupted: "è stata interrotta",
};

/** The sentence a refused or failed apply gets, in `lang`. */
export function applyProblemText(p: ApplyProblem, lang: Language): string {
  const it = lang === "it";
  switch (p.kind) {
    case "notReady":
      return it
        ? `Questa importazione non si può applicare: ${STATUS_IT[p.status]}. Carica di nuovo il file.`
        : `This import cannot be applied: it is ${p.status}${p.status === "applied" ? " already" : ""}. Upload the file again.`;
    case "customersChanged":
      return it
        ? "I clienti sono cambiati dopo il controllo di questo file e non è stato applicato nulla: carica di nuovo il file."
        : "Customers changed since this file was checked and nothing was applied; upload the file again.";
    case "failed":
      return it
        ? "Non è stato possibile applicare l'importazione e non è cambiato nulla: riprova."
        : "The import could not be applied and nothing was changed; try again.";
  }
}
