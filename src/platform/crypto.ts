/** Small crypto helpers: HMAC signatures, hashes, tokens and password hashing. */
import { scrypt, timingSafeEqual } from "node:crypto";

const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(view, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [usage],
  );
}

/** `sha256=<hex>` HMAC of `body` with `secret`, as Meta sends in X-Hub-Signature-256. */
export async function signBody(
  secret: string,
  body: ArrayBuffer | Uint8Array<ArrayBuffer>,
): Promise<string> {
  const sig = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), body);
  return `sha256=${bytesToHex(sig)}`;
}

/**
 * Verifies Meta's `X-Hub-Signature-256` over the exact body bytes, in constant
 * time (crypto.subtle.verify). False for a missing or malformed header.
 */
export async function verifySignature(
  secret: string,
  body: ArrayBuffer,
  header: string | null | undefined,
): Promise<boolean> {
  if (!header?.startsWith("sha256=")) return false;
  const sig = hexToBytes(header.slice("sha256=".length));
  if (sig?.length !== 32) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), sig, body);
}

/** Standard base64 of some bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** The bytes of a standard base64 text; null when it is not base64. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** A URL-safe random token with 256 bits of entropy. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

// scrypt N=2^14, r=8, p=5 (~0.1 s). The stored string names its parameters so
// they can be raised later without invalidating existing hashes.
const SCRYPT = { N: 16384, r: 8, p: 5, keylen: 32 };

function scryptAsync(password: string, salt: Uint8Array, p: typeof SCRYPT): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      salt,
      p.keylen,
      { N: p.N, r: p.r, p: p.p, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

/** Hashes a password as `scrypt$N$r$p$<salt hex>$<key hex>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await scryptAsync(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${bytesToHex(salt)}$${bytesToHex(key)}`;
}

/** Checks a password against a stored hash; constant-time on the derived key. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, saltHex, keyHex] = stored.split("$");
  if (alg !== "scrypt" || !saltHex || !keyHex) return false;
  const salt = hexToBytes(saltHex);
  const expected = hexToBytes(keyHex);
  if (!salt || !expected) return false;
  const key = await scryptAsync(password, salt, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keylen: expected.length,
  });
  return timingSafeEqual(key, expected);
}
