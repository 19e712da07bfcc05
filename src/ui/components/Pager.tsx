/**
 * Previous / "page n of m" / Next under a paged list. Buttons are `#<idPrefix>-prev`
 * and `#<idPrefix>-next` (tests and shortcuts find them); `children` go between the
 * position and Next (the admin lists show their total there).
 */
import type { ComponentChildren } from "preact";
import { useI18n } from "../i18n.ts";

export function Pager({
  idPrefix,
  page,
  pages,
  onPage,
  children,
}: {
  idPrefix: string;
  page: number;
  pages: number;
  onPage: (page: number) => void;
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <nav class="pager" aria-label={t("adminList.pageOf", { page, pages })}>
      <button
        id={`${idPrefix}-prev`}
        type="button"
        class="button"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        {t("adminList.prev")}
      </button>
      <span>{t("adminList.pageOf", { page: Math.min(page, pages), pages })}</span>
      {children}
      <button
        id={`${idPrefix}-next`}
        type="button"
        class="button"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        {t("adminList.next")}
      </button>
    </nav>
  );
}
