/** Pure rules of the welcome page (setting a password from an invitation link). Unit-tested. */

/** The server's minimum; checked here too so a typo is caught before the round trip. */
export const MIN_PASSWORD_LENGTH = 10;

/** What is wrong with the two passwords typed, or null when they can be sent. */
export function passwordProblem(password: string, confirm: string): "tooShort" | "mismatch" | null {
  if (password.length < MIN_PASSWORD_LENGTH) return "tooShort";
  if (password !== confirm) return "mismatch";
  return null;
}

/** The token of a `/welcome?token=…` address, or null when there is none worth asking about. */
export function tokenFromSearch(search: string): string | null {
  const token = new URLSearchParams(search).get("token")?.trim() ?? "";
  return token.length >= 20 && token.length <= 200 ? token : null;
}

/** Where a user lands after setting the password: admins in the administration, agents at the desk. */
export function landingPath(role: "admin" | "agent" | "operator"): string {
  if (role === "admin") return "/admin";
  if (role === "operator") return "/platform/tenants";
  return "/";
}
