/**
 * The customers' field catalogue (custom properties, skillsets, what the caller may do),
 * loaded once when the customer pages open and shared by the list and the forms.
 * `FieldsGate` shows loading, 403 and retryable failure until it is there.
 */
import { type ComponentChildren, createContext } from "preact";
import { useCallback, useContext, useEffect, useState } from "preact/hooks";
import type { CustomerField, CustomerFields } from "../../shared/customer-import.ts";
import { Forbidden } from "../admin/kit/states.tsx";
import { ApiError, errorMessage } from "../api.ts";
import { LoadError, Loading } from "../components/Feedback.tsx";
import { useI18n } from "../i18n.ts";
import { customersApi } from "./api.ts";

type FieldsState =
  | { kind: "loading" }
  | { kind: "ready"; fields: CustomerFields }
  | { kind: "failed"; error: unknown };

interface FieldsContextValue {
  state: FieldsState;
  reload: () => void;
}

const FieldsContext = createContext<FieldsContextValue>({
  state: { kind: "loading" },
  reload: () => {},
});

/** Loads the catalogue for everything below it. */
export function FieldsProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<FieldsState>({ kind: "loading" });
  const reload = useCallback(() => {
    setState({ kind: "loading" });
    customersApi.fields().then(
      (fields) => setState({ kind: "ready", fields }),
      (error: unknown) => setState({ kind: "failed", error }),
    );
  }, []);
  useEffect(reload, [reload]);
  return <FieldsContext.Provider value={{ state, reload }}>{children}</FieldsContext.Provider>;
}

/** Renders `children(fields)` once the catalogue is loaded; the usual states meanwhile. */
export function FieldsGate({
  children,
}: {
  children: (fields: CustomerFields) => ComponentChildren;
}) {
  const { t } = useI18n();
  const { state, reload } = useContext(FieldsContext);
  if (state.kind === "loading") return <Loading />;
  if (state.kind === "failed") {
    if (state.error instanceof ApiError && state.error.status === 403) return <Forbidden />;
    return (
      <LoadError
        message={t("app.loadFailed", {
          message: errorMessage(state.error, t("app.networkError"), t("app.unexpectedError")),
        })}
        onRetry={reload}
      />
    );
  }
  return <>{children(state.fields)}</>;
}

/** Whether the caller may change `field`: admins any; agents only those marked for agents. */
export function propertyEditor(fields: CustomerFields, isAdmin: boolean) {
  return (field: CustomerField) => fields.mayEdit && (isAdmin || field.modifiableByAgent);
}
