/** A minimal multipart/form-data parser (enough for Graph media uploads). */

/** One part of a multipart body. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** The boundary of a `multipart/form-data` content type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`${key}="([^"]*)"`, "i").exec(disposition);
  return match?.[1];
}

function parsePart(raw: Buffer): FormPart | undefined {
  const split = raw.indexOf("\r\n\r\n");
  if (split < 0) return undefined;
  const headers = parseHeaders(raw.subarray(0, split).toString("utf8"));
  const disposition = headers.get("content-disposition") ?? "";
  const name = dispositionParam(disposition, "name");
  if (name === undefined) return undefined;
  const part: FormPart = { name, data: raw.subarray(split + 4) };
  const filename = dispositionParam(disposition, "filename");
  if (filename !== undefined) part.filename = filename;
  const contentType = headers.get("content-type");
  if (contentType !== undefined) part.contentType = contentType;
  return part;
}

/** Splits a multipart body into parts; malformed parts are skipped. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const contentStart = start + delimiter.length;
    if (body.subarray(contentStart, contentStart + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, contentStart);
    if (next < 0) break;
    // Content sits between the CRLF after the delimiter and the CRLF before the next one.
    const part = parsePart(body.subarray(contentStart + 2, next - 2));
    if (part) parts.push(part);
    start = next;
  }
  return parts;
}
