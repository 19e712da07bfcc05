/**
 * A real SMTP server on loopback that keeps what it receives, for tests and
 * local development (no auth, no TLS). A small HTTP API on loopback lets
 * workerd tests and browser tests read the mail:
 *
 * - `GET  /messages?to=<address>` → received mails (oldest first), optionally for one recipient
 * - `POST /reject?to=<address>`   → the server refuses that recipient (550) from now on
 * - `POST /accept?to=<address>`   → it accepts that recipient again
 *
 * Runs in Node (vitest's global setup, scripts/stack.ts).
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One received mail, decoded enough to read its text and follow its links. */
export interface SinkMessage {
  /** Envelope sender and recipients, as the SMTP client gave them. */
  from: string;
  to: string[];
  subject: string;
  /** The text/plain part, decoded (quoted-printable or base64, UTF-8). */
  text: string;
  /** The text/html part, decoded; "" when absent. */
  html: string;
  /** Every http(s) URL in the text part. */
  links: string[];
  /** The message exactly as received. */
  raw: string;
  receivedAt: number;
}

export interface SmtpSink {
  smtpPort: number;
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:41234 */
  url: string;
  messages(to?: string): SinkMessage[];
  close(): Promise<void>;
}

// ---- a small MIME reader ------------------------------------------------------------

interface Part {
  headers: Map<string, string>;
  body: string;
}

function parsePart(raw: string): Part {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? "" : raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  // Unfold continuation lines, then split "Name: value".
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function param(header: string, name: string): string | undefined {
  return new RegExp(`;\\s*${name}="?([^";]+)"?`, "i").exec(header)?.[1];
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "quoted-printable") return decodeQuotedPrintable(part.body).toString("utf8");
  if (encoding === "base64")
    return Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8");
  return part.body;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) in a header. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_m, _charset: string, kind: string, data: string) =>
        kind.toUpperCase() === "B"
          ? Buffer.from(data, "base64").toString("utf8")
          : decodeQuotedPrintable(data.replace(/_/g, " ")).toString("utf8"),
    );
}

/** Text and HTML bodies of a (possibly nested multipart) message. */
function bodies(part: Part): { text: string; html: string } {
  const type = part.headers.get("content-type") ?? "text/plain";
  if (type.toLowerCase().startsWith("multipart/")) {
    const boundary = param(type, "boundary");
    if (!boundary) return { text: "", html: "" };
    const out = { text: "", html: "" };
    const chunks = part.body.split(`--${boundary}`).slice(1);
    for (const chunk of chunks) {
      if (chunk.startsWith("--")) break;
      const inner = bodies(parsePart(chunk.replace(/^\r?\n/, "")));
      out.text ||= inner.text;
      out.html ||= inner.html;
    }
    return out;
  }
  const decoded = decodeBody(part).replace(/\r\n/g, "\n").trimEnd();
  return type.toLowerCase().startsWith("text/html")
    ? { text: "", html: decoded }
    : { text: decoded, html: "" };
}

/** Decodes a raw RFC 5322 message as received. */
export function parseMail(raw: string, from: string, to: string[]): SinkMessage {
  const part = parsePart(raw);
  const { text, html } = bodies(part);
  return {
    from,
    to,
    subject: decodeHeader(part.headers.get("subject") ?? ""),
    text,
    html,
    links: text.match(/https?:\/\/[^\s<>"]+/g) ?? [],
    raw,
    receivedAt: Date.now(),
  };
}

// ---- the servers -----------------------------------------------------------------------

function listen(server: HttpServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the SMTP server and its HTTP API on 127.0.0.1 (port 0 = any free
 * port). `onMessage` sees each mail as it arrives (the dev stack prints links).
 */
export async function startSmtpSink(
  opts: { smtpPort?: number; httpPort?: number; onMessage?: (m: SinkMessage) => void } = {},
): Promise<SmtpSink> {
  const received: SinkMessage[] = [];
  const rejected = new Set<string>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        const err = new Error("Mailbox unavailable") as Error & { responseCode: number };
        err.responseCode = 550;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const to = session.envelope.rcptTo.map((a) => a.address.toLowerCase());
        const message = parseMail(Buffer.concat(chunks).toString("utf8"), from, to);
        received.push(message);
        opts.onMessage?.(message);
        callback();
      });
    },
  });
  const messages = (to?: string) =>
    to ? received.filter((m) => m.to.includes(to.toLowerCase())) : [...received];
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const to = url.searchParams.get("to")?.toLowerCase() ?? undefined;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/messages") return json(200, messages(to));
    if (req.method === "POST" && url.pathname === "/reject" && to) {
      rejected.add(to);
      return json(200, { rejected: to });
    }
    if (req.method === "POST" && url.pathname === "/accept" && to) {
      rejected.delete(to);
      return json(200, { accepted: to });
    }
    json(404, { error: "not found" });
  });
  const smtpPort = await new Promise<number>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(opts.smtpPort ?? 0, "127.0.0.1", () =>
      resolve((smtp.server.address() as AddressInfo).port),
    );
  });
  const httpPort = await listen(http, opts.httpPort ?? 0);
  return {
    smtpPort,
    url: `http://127.0.0.1:${httpPort}`,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
