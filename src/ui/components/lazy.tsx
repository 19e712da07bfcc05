/**
 * A screen (or a panel inside one) whose code loads on first use, so the desktop's
 * first download does not grow. Shows the usual loading state meanwhile and a
 * retryable failure: full-page for screens, inline for panels.
 */
import type { FunctionComponent } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n.ts";
import { LoadError, Loading } from "./Feedback.tsx";

/** Wraps `load` (a dynamic import) as a component; the module is fetched once per page. */
export function lazyScreen<P extends object>(
  load: () => Promise<{ default: FunctionComponent<P> }>,
  { inline = false }: { inline?: boolean } = {},
): FunctionComponent<P> {
  let cached: FunctionComponent<P> | null = null;
  return function LazyScreen(props: P) {
    const { t } = useI18n();
    const [component, setComponent] = useState(() => cached);
    const [failed, setFailed] = useState(false);

    const fetchScreen = useCallback(() => {
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
      if (!cached) fetchScreen();
    }, [fetchScreen]);

    if (failed) {
      const error = (
        <LoadError
          message={t("app.loadFailed", { message: t("app.networkError") })}
          onRetry={fetchScreen}
        />
      );
      return inline ? error : <main class="page-center">{error}</main>;
    }
    if (!component) return <Loading fullPage={!inline} />;
    const Screen = component;
    return <Screen {...props} />;
  };
}

/** `lazyScreen` for a panel inside a screen: loading and failure show in place. */
export function lazyPanel<P extends object>(
  load: () => Promise<{ default: FunctionComponent<P> }>,
): FunctionComponent<P> {
  return lazyScreen(load, { inline: true });
}
