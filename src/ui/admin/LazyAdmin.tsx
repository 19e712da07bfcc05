/**
 * Loads the administration's code on first use, so agents (and admins at the desk)
 * never download it. Shows the usual loading and retryable failure states meanwhile.
 */
import type { FunctionComponent } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { MeView } from "../../shared/protocol.ts";
import { LoadError, Loading } from "../components/Feedback.tsx";
import { useI18n } from "../i18n.ts";

interface AdminAppProps {
  me: MeView;
  onSignedOut: () => void;
}

let cached: FunctionComponent<AdminAppProps> | null = null;

export function LazyAdmin(props: AdminAppProps) {
  const { t } = useI18n();
  const [component, setComponent] = useState(() => cached);
  const [failed, setFailed] = useState(false);

  const load = useCallback(() => {
    setFailed(false);
    import("./AdminApp.tsx").then(
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
  const AdminApp = component;
  return <AdminApp {...props} />;
}
