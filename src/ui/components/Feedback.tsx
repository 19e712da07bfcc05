/** Loading, error and toast feedback shared by every view. */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { useI18n } from "../i18n.ts";

/** A spinner with a text label for screen readers and sighted users alike. */
export function Loading({ fullPage = false }: { fullPage?: boolean }) {
  const { t } = useI18n();
  const content = (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      <span>{t("app.loading")}</span>
    </div>
  );
  return fullPage ? <main class="page-center">{content}</main> : content;
}

/** A failed load: what went wrong and a Retry button. */
export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div class="load-error" role="alert">
      <p>{message}</p>
      <button type="button" class="button" onClick={onRetry}>
        {t("app.retry")}
      </button>
    </div>
  );
}

export interface Toast {
  id: number;
  text: string;
  tone: "info" | "error";
}

const TOAST_MS = 6000;

/** Short-lived notices; each disappears after a few seconds or when dismissed. */
export function useToasts() {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismissToast = useCallback((id: number) => {
    const timer = timers.current.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.current.delete(id);
    setToasts((list) => list.filter((toast) => toast.id !== id));
  }, []);

  const showToast = useCallback(
    (text: string, tone: Toast["tone"] = "info") => {
      const id = nextId.current++;
      setToasts((list) => [...list, { id, text, tone }]);
      timers.current.set(
        id,
        setTimeout(() => dismissToast(id), TOAST_MS),
      );
    },
    [dismissToast],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
    };
  }, []);

  return { toasts, showToast, dismissToast };
}

/** The toast region; polite, so it never interrupts what a screen reader is saying. */
export function Toasts({
  toasts,
  onDismiss,
}: {
  toasts: readonly Toast[];
  onDismiss: (id: number) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.tone}`} role="status">
          <span>{toast.text}</span>
          <button
            type="button"
            class="icon-button"
            aria-label={t("app.dismiss")}
            onClick={() => onDismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
