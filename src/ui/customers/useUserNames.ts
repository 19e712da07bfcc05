/**
 * Names of the tenant's users by id, for "changed by …". Only administrators may list
 * users; for anyone else (and while loading, or if it fails) the map holds just the
 * signed-in user, and other ids are shown as they are.
 */
import { useEffect, useState } from "preact/hooks";
import { UserView } from "../../shared/admin.ts";
import type { MeView } from "../../shared/protocol.ts";
import { fetchAll } from "../admin/kit/adminApi.ts";

/** `wanted` false skips the request (nothing to resolve). */
export function useUserNames(me: MeView, wanted: boolean): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(
    () => new Map([[me.id, me.name]]),
  );
  useEffect(() => {
    if (!wanted || me.role !== "admin") return;
    let live = true;
    fetchAll("/api/admin", "users", UserView, "name").then(
      (users) => {
        if (live)
          setNames(new Map([[me.id, me.name], ...users.map((u) => [u.id, u.name] as const)]));
      },
      // Not fatal: ids stay readable as they are.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [me, wanted]);
  return names;
}
