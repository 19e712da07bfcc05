/**
 * CSV files as spreadsheet programs write them: UTF-8 with or without a BOM,
 * or Windows-1252 (Excel's "CSV" on Western Windows); comma, semicolon (Excel
 * in Italian and other comma-decimal locales) or tab separated, detected from
 * the header line; RFC 4180 quoting, CRLF or LF line ends, line breaks inside
 * quoted fields.
 */

/** Decodes text bytes: UTF-8 (BOM dropped) when valid, else Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  const body =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return new TextDecoder("windows-1252").decode(body);
  }
}

/**
 * Whether decoded text looks like text rather than binary: no NUL and almost
 * no other control characters in its first 64 KiB.
 */
export function looksLikeText(text: string): boolean {
  const head = text.slice(0, 65_536);
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    if (code === 0) return false;
    if (code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) controls++;
  }
  return controls <= head.length / 1000;
}

/** The separator the header line uses most, outside quotes: `,`, `;` or a tab (`,` when none). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  for (const [ch, n] of counts) if (n > (counts.get(best) ?? 0)) best = ch;
  return best;
}

/**
 * Splits CSV text into rows of fields (RFC 4180, lenient: a quote inside an
 * unquoted field is kept as text). A final line break does not add a row.
 * Stops after `maxRows` rows, so a file of empty lines cannot exhaust memory.
 */
export function parseCsv(
  text: string,
  delimiter = detectDelimiter(text),
  maxRows = Number.POSITIVE_INFINITY,
): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\r" || ch === "\n") {
      row.push(field);
      rows.push(row);
      if (rows.length >= maxRows) return rows;
      row = [];
      field = "";
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
