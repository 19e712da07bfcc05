/**
 * Loads the choices of a select once (numbers for a skillset, skillsets for a user).
 * While loading, or if loading fails, the form still works; the select just has fewer
 * choices and the failure is shown next to it.
 */
import { useEffect, useState } from "preact/hooks";
import { errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import type { Option } from "./fields.tsx";

export interface Options {
  options: Option[];
  loading: boolean;
  /** Why the choices could not be loaded. */
  error: string | null;
}

/** `load` runs once per `key`. */
export function useOptions(key: string, load: () => Promise<Option[]>): Options {
  const { t } = useI18n();
  const [state, setState] = useState<Options>({ options: [], loading: true, error: null });
  // `key` stands for `load`, which is a new closure on every render.
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (options) => live && setState({ options, loading: false, error: null }),
      (error: unknown) =>
        live &&
        setState({
          options: [],
          loading: false,
          error: errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
        }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}
