/**
 * The service status dialog (`#service-status-dialog`): for each of the tenant's numbers,
 * open or closed now and the next change, today's hours and the coming holidays. Loads
 * the hours each time it opens; Escape or Close shuts it and focus returns to the
 * header's indicator.
 */
import { useEffect, useState } from "preact/hooks";
import type { ServiceStatus } from "../../shared/protocol.ts";
import { ServiceHours } from "../../shared/service-hours.ts";
import { errorMessage, request } from "../api.ts";
import { useI18n } from "../i18n.ts";
import { Modal } from "../lifecycle/Modal.tsx";
import { Loading } from "./Feedback.tsx";
import { holidayTexts, numberLines, todayHoursText } from "./ServiceStatus.tsx";

type Hours =
  | { kind: "loading" }
  | { kind: "loaded"; hours: ServiceHours }
  | { kind: "failed"; message: string };

/** Mount to open, unmount to close (`onClose` on Escape or the Close button). */
export function ServiceStatusDialog({
  status,
  onClose,
}: {
  status: ServiceStatus;
  onClose: () => void;
}) {
  const { t, language } = useI18n();
  const [hours, setHours] = useState<Hours>({ kind: "loading" });

  useEffect(() => {
    let live = true;
    request("/api/service-status/hours", ServiceHours).then(
      (loaded) => live && setHours({ kind: "loaded", hours: loaded }),
      (error: unknown) =>
        live &&
        setHours({
          kind: "failed",
          message: errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
        }),
    );
    return () => {
      live = false;
    };
  }, [t]);

  const now = Date.now();
  const lines = new Map(numberLines(t, language, status, now).map((l) => [l.key, l.text]));
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const hoursOf = (id: string) =>
    hours.kind === "loaded" ? hours.hours.numbers.find((n) => n.id === id) : undefined;

  return (
    <Modal
      id="service-status-dialog"
      titleId="service-status-title"
      descriptionId="service-status-summary"
      busy={false}
      onCancel={onClose}
    >
      <div class="service-dialog">
        <h2 id="service-status-title">{t("serviceDialog.title")}</h2>
        <p id="service-status-summary" class="service-status" data-status={status.status}>
          <span class="service-status-dot" aria-hidden="true" />
          {t(`service.${status.status}`)}
        </p>
        {hours.kind === "loading" && <Loading />}
        {hours.kind === "failed" && (
          <p class="form-error" role="alert">
            {t("serviceDialog.hoursFailed", { message: hours.message })}
          </p>
        )}
        {status.numbers.length === 0 ? (
          <p id="service-status-details" class="empty-state">
            {t("service.noNumbers")}
          </p>
        ) : (
          <ul id="service-status-details" class="service-dialog-numbers">
            {status.numbers.map((number) => {
              const own = hoursOf(number.id);
              const holidays = own ? holidayTexts(language, own) : [];
              return (
                <li key={number.id} data-number-id={number.id} data-open={number.open}>
                  <p class="service-dialog-now">{lines.get(number.id)}</p>
                  {own && <p class="service-dialog-today">{todayHoursText(t, own, browserZone)}</p>}
                  {holidays.length > 0 && (
                    <p class="service-dialog-holidays">
                      {t("serviceDialog.holidays", { list: holidays.join(", ") })}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <div class="dialog-actions">
          <button
            id="service-status-close"
            type="button"
            class="button"
            data-autofocus
            onClick={onClose}
          >
            {t("serviceDialog.close")}
          </button>
        </div>
      </div>
    </Modal>
  );
}
