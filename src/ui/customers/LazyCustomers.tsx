/**
 * Loads the agents' customer pages on first use, so the desktop's first download does
 * not grow. Loading and a retryable failure are shown meanwhile, as for the administration.
 */
import type { FunctionComponent } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { MeView } from "../../shared/protocol.ts";
import { LoadError, Loading } from "../components/Feedback.tsx";
import { useI18n } from "../i18n.ts";

interface CustomersAppProps {
  me: MeView;
  onSignedOut: () => void;
}

let cached: FunctionComponent<CustomersAppProps> | null = null;

export function LazyCustomers(props: CustomersAppProps) {
  const { t } = useI18n();
  const [component, setComponent] = useState(() => cached);
  const [failed, setFailed] = useState(false);

  const load = useCallback(() => {
    setFailed(false);
    import("./CustomersApp.tsx").then(
      (module) => {
        cached = module.default;
        setComponent(() => module.default);
      },
      () => setFailed(true),
    );
  }, []);

  useEffect(() => {
    if (!cached) load();
  }, [load]);

  if (failed) {
    return (
      <main class="page-center">
        <LoadError
          message={t("app.loadFailed", { message: t("app.networkError") })}
          onRetry={load}
        />
      </main>
    );
  }
  if (!component) return <Loading fullPage />;
  const CustomersApp = component;
  return <CustomersApp {...props} />;
}
