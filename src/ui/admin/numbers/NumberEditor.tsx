/**
 * One managed number: its name, a delete action, and its settings categories as
 * tabs, each at its own URL (`/admin/numbers/:id/:tab`). The editor owns the number;
 * tabs save their part with its current version and hand the new view back.
 */
import { useCallback } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import {
  DeleteRecord,
  Link,
  LinkTabs,
  NotFound,
  pathOf,
  RecordGate,
  useLoadedRecord,
} from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import { numberTabs } from "./tabs.ts";

export function NumberEditor({ id, tab }: { id: string; tab: string }) {
  const { t } = useI18n();
  const fetchNumber = useCallback(() => numbersApi.get(id), [id]);
  const {
    record: number,
    setRecord: setNumber,
    status,
    loadError,
    retry,
  } = useLoadedRecord(fetchNumber);

  const active = numberTabs.find((candidate) => candidate.key === tab);
  if (status !== "ready" || !number) {
    return (
      <RecordGate status={status} loadError={loadError} onRetry={retry} backTo="/admin/numbers" />
    );
  }
  if (!active) return <NotFound backTo={pathOf("admin", "numbers", id, "details")} />;

  const Tab = active.component;
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
      <LinkTabs
        tabs={numberTabs.map((candidate) => ({
          key: candidate.key,
          href: pathOf("admin", "numbers", id, candidate.key),
          label: t(candidate.label),
        }))}
        active={active.key}
        label={t("number.tabs")}
        panelId="number-tabpanel"
      />
      <div id="number-tabpanel" role="tabpanel" aria-labelledby={`tab-${active.key}`}>
        <Tab key={active.key} number={number} onNumberChange={setNumber} />
      </div>
    </section>
  );
}
