/**
 * One managed number: its name, a delete action, and the seven settings categories as
 * tabs, each at its own URL (`/admin/numbers/:id/:tab`). The editor owns the number;
 * tabs save their part with its current version and hand the new view back.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { NumberView } from "../../../shared/admin.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import {
  DeleteRecord,
  Link,
  NotFound,
  navigate,
  pathOf,
  RecordGate,
  type RecordStatus,
} from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import { numberTabs } from "./tabs.ts";

export function NumberEditor({ id, tab }: { id: string; tab: string }) {
  const { t } = useI18n();
  const [number, setNumber] = useState<NumberView | null>(null);
  const [status, setStatus] = useState<RecordStatus>("loading");
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setNumber(await numbersApi.get(id));
      setStatus("ready");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setStatus("missing");
      else if (error instanceof ApiError && error.status === 403) setStatus("forbidden");
      else {
        setLoadError(errorMessage(error, t("app.networkError"), t("app.unexpectedError")));
        setStatus("failed");
      }
    }
  }, [id, t]);

  useEffect(() => {
    setStatus("loading");
    void load();
  }, [load]);

  const active = numberTabs.find((candidate) => candidate.key === tab);
  if (status !== "ready" || !number) {
    return (
      <RecordGate
        status={status}
        loadError={loadError}
        onRetry={() => void load()}
        backTo="/admin/numbers"
      />
    );
  }
  if (!active) return <NotFound backTo={pathOf("admin", "numbers", id, "details")} />;

  const Tab = active.component;
  const tabHref = (key: string) => pathOf("admin", "numbers", id, key);

  // Arrow keys move between tabs, as in any tab list.
  const onTabKey = (event: KeyboardEvent) => {
    const index = numberTabs.findIndex((candidate) => candidate.key === active.key);
    let next = -1;
    if (event.key === "ArrowRight") next = (index + 1) % numberTabs.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + numberTabs.length) % numberTabs.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = numberTabs.length - 1;
    const target = numberTabs[next];
    if (!target) return;
    event.preventDefault();
    navigate(tabHref(target.key));
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[role=tab][data-tab="${target.key}"]`)?.focus(),
    );
  };

  return (
    <section class="admin-page number-editor" aria-labelledby="number-heading">
      <p class="breadcrumb">
        <Link href="/admin/numbers">{t("nav.numbers")}</Link>
      </p>
      <div class="page-header">
        <h1 id="number-heading">
          {number.name} <span class="muted">{number.displayPhone}</span>
        </h1>
        <DeleteRecord
          id="number-delete"
          title={t("number.deleteTitle")}
          message={t("number.deleteMessage", { name: number.name })}
          remove={() => numbersApi.remove(number.id)}
          backTo="/admin/numbers"
        />
      </div>
      <div class="tabs" role="tablist" aria-label={t("number.tabs")} onKeyDown={onTabKey}>
        {numberTabs.map((candidate) => {
          const selected = candidate.key === active.key;
          return (
            <Link
              key={candidate.key}
              id={`tab-${candidate.key}`}
              href={tabHref(candidate.key)}
              role="tab"
              data-tab={candidate.key}
              aria-selected={selected}
              aria-controls="number-tabpanel"
              tabIndex={selected ? 0 : -1}
            >
              {t(candidate.label)}
            </Link>
          );
        })}
      </div>
      <div id="number-tabpanel" role="tabpanel" aria-labelledby={`tab-${active.key}`}>
        <Tab key={active.key} number={number} onNumberChange={setNumber} />
      </div>
    </section>
  );
}
