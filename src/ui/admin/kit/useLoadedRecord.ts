/**
 * Loads one record for a page that edits it in parts (tabs): the record, the page's
 * status for RecordGate (loading, ready, missing on 404, forbidden on 403, failed with
 * a message otherwise) and a retry. Reloads when `fetchRecord` changes.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import type { RecordStatus } from "./useRecordForm.ts";

export function useLoadedRecord<T>(fetchRecord: () => Promise<T>) {
  const { t } = useI18n();
  const [record, setRecord] = useState<T | null>(null);
  const [status, setStatus] = useState<RecordStatus>("loading");
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRecord(await fetchRecord());
      setStatus("ready");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setStatus("missing");
      else if (error instanceof ApiError && error.status === 403) setStatus("forbidden");
      else {
        setLoadError(errorMessage(error, t("app.networkError"), t("app.unexpectedError")));
        setStatus("failed");
      }
    }
  }, [fetchRecord, t]);

  useEffect(() => {
    setStatus("loading");
    void load();
  }, [load]);

  return { record, setRecord, status, loadError, retry: () => void load() };
}
