/**
 * What every admin screen can reach without prop drilling: who is signed in and the
 * shell's toast region (success is announced there, politely).
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { MeView } from "../../../shared/protocol.ts";

/** Shows a short notice; "error" ones are styled as failures. */
export type ShowToast = (text: string, tone?: "info" | "error") => void;

export interface AdminContextValue {
  me: MeView;
  showToast: ShowToast;
}

export const AdminContext = createContext<AdminContextValue | null>(null);

/** The admin context; throws when used outside `AdminShell` (a wiring bug, not a user error). */
export function useAdmin(): AdminContextValue {
  const value = useContext(AdminContext);
  if (!value) throw new Error("useAdmin() outside <AdminShell>");
  return value;
}

/** The signed-in user as App knows it, for components outside the shell (the desktop header). */
export const SessionContext = createContext<MeView | null>(null);

/** The signed-in user, or null before sign-in. */
export function useSession(): MeView | null {
  return useContext(SessionContext);
}
