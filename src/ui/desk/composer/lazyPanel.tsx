/**
 * A composer panel whose code loads when first opened (the desktop's first
 * download stays small): a spinner meanwhile, a retryable error inline.
 */
import type { FunctionComponent } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";

/** Wraps `load` (a dynamic import of a module whose default export is the panel). */
export function lazyPanel<P extends object>(
  load: () => Promise<{ default: FunctionComponent<P> }>,
): FunctionComponent<P> {
  let cached: FunctionComponent<P> | null = null;
  return function LazyPanel(props: P) {
    const { t } = useI18n();
    const [component, setComponent] = useState(() => cached);
    const [failed, setFailed] = useState(false);
    const fetchPanel = useCallback(() => {
      setFailed(false);
      load().then(
        (module) => {
          cached = module.default;
          setComponent(() => module.default);
        },
        () => setFailed(true),
      );
    }, []);
    useEffect(() => {
      if (!cached) fetchPanel();
    }, [fetchPanel]);
    if (failed) {
      return (
        <LoadError
          message={t("app.loadFailed", { message: t("app.networkError") })}
          onRetry={fetchPanel}
        />
      );
    }
    if (!component) return <Loading />;
    const Panel = component;
    return <Panel {...props} />;
  };
}
