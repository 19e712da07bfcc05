/**
 * The non-happy states every admin view shows the same way: loading, failed (with
 * Retry), 403 "You do not have access", 404 "Not found".
 */
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";
import { Link } from "./router.tsx";
import type { RecordStatus } from "./useRecordForm.ts";

/** 403: the page exists but is not for this user. */
export function Forbidden() {
  const { t } = useI18n();
  return (
    <div class="admin-state state-forbidden" role="alert">
      <p>{t("admin.forbidden")}</p>
    </div>
  );
}

/** 404, with a way back to the list it came from. */
export function NotFound({ backTo }: { backTo?: string }) {
  const { t } = useI18n();
  return (
    <div class="admin-state state-missing" role="alert">
      <p>{t("admin.notFound")}</p>
      {backTo && <Link href={backTo}>{t("admin.backToList")}</Link>}
    </div>
  );
}

/**
 * Renders the state of a record that is not ready (loading, failed, 403, 404), or null
 * when the caller should render the record itself.
 */
export function RecordGate({
  status,
  loadError,
  onRetry,
  backTo,
}: {
  status: RecordStatus;
  loadError: string | null;
  onRetry: () => void;
  backTo?: string;
}) {
  const { t } = useI18n();
  switch (status) {
    case "loading":
      return <Loading />;
    case "failed":
      return (
        <LoadError message={t("form.loadFailed", { message: loadError ?? "" })} onRetry={onRetry} />
      );
    case "forbidden":
      return <Forbidden />;
    case "missing":
      return <NotFound backTo={backTo} />;
    default:
      return null;
  }
}
