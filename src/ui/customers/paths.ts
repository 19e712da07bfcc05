/** Where the customer pages live, as pure path helpers. Unit-tested. */

/** The root of the customer pages. */
export const CUSTOMERS_PATH = "/customers";

/**
 * The decoded segments of `path` after `/customers` (`/customers/a%2Fb/history` →
 * ["a/b", "history"]); null when `path` is not under it or a segment is malformed.
 */
export function customerSegments(path: string): string[] | null {
  const parts = path.split("/").filter((s) => s !== "");
  if (parts[0] !== "customers") return null;
  try {
    return parts.slice(1).map(decodeURIComponent);
  } catch {
    return null;
  }
}
