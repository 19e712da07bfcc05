/**
 * Secrets at rest: the managed numbers' Graph API access tokens and own app
 * secrets are stored sealed with AES-256-GCM under the deployment's `DATA_KEY`,
 * so a copy of the database (an export, a backup, a leaked query result) holds
 * no usable token. The column a value belongs to is authenticated with it, so a
 * sealed value cannot be moved to another column.
 *
 * A stored value is `v1.<base64 of iv ‖ ciphertext>`. A value without the prefix
 * was stored before sealing existed and is read as it is; it is sealed the next
 * time it is set.
 */
import { base64ToBytes, bytesToBase64 } from "./crypto";

/** Which column a secret belongs to (authenticated with the ciphertext). */
export type SecretColumn = "managed_numbers.access_token" | "managed_numbers.app_secret";

const PREFIX = "v1.";
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let cached: { raw: string; key: Promise<CryptoKey> } | undefined;

/** The AES key of `DATA_KEY` (base64 of 32 bytes), imported once per isolate. */
function keyOf(raw: string): Promise<CryptoKey> {
  if (cached?.raw !== raw) {
    const bytes = base64ToBytes(raw);
    if (bytes?.length !== 32) throw new Error("DATA_KEY must be 32 bytes in base64");
    cached = {
      raw,
      key: crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]),
    };
  }
  return cached.key;
}

/** Seals `plaintext` for storage in `column`. A fresh random IV each time. */
export async function sealSecret(
  dataKey: string,
  column: SecretColumn,
  plaintext: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(column) },
    await keyOf(dataKey),
    encoder.encode(plaintext),
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return `${PREFIX}${bytesToBase64(out)}`;
}

/** `sealSecret` for a value that may be absent or cleared (null and "" stay as they are). */
export async function sealOptional(
  dataKey: string,
  column: SecretColumn,
  plaintext: string | null | undefined,
): Promise<string | null | undefined> {
  return plaintext ? sealSecret(dataKey, column, plaintext) : plaintext;
}

/**
 * The secret stored in `column`: opened when sealed, as it is when stored before
 * sealing. Null when there is none, or when it cannot be opened (another key,
 * damaged): logged, and treated as no secret at all rather than a wrong one.
 */
export async function openSecret(
  dataKey: string,
  column: SecretColumn,
  stored: string | null | undefined,
): Promise<string | null> {
  if (!stored) return null;
  if (!stored.startsWith(PREFIX)) return stored;
  const bytes = base64ToBytes(stored.slice(PREFIX.length));
  try {
    if (!bytes || bytes.length <= IV_BYTES) throw new Error("too short");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(column) },
      await keyOf(dataKey),
      bytes.subarray(IV_BYTES),
    );
    return decoder.decode(plain);
  } catch (err) {
    console.error(`a stored secret of ${column} cannot be opened (another DATA_KEY?)`, String(err));
    return null;
  }
}
