/**
 * The profiling tab: whether closing requires a reason and allows free notes (saved as
 * the number's `profiling` settings), and the closing reasons themselves, either as the
 * editable tree or as an admin list (search, sort, page size, Excel). The view is in the
 * URL (`?view=table`), and a row of the table opens that reason in the tree
 * (`?edit=<id>`).
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { z } from "zod";
import {
  type NumberView,
  ProfilingNodeView as ProfilingNodeSchema,
  type ProfilingNodeView,
  type ProfilingSettings,
} from "../../../shared/admin.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { LoadError, Loading } from "../../components/Feedback.tsx";
import { useI18n } from "../../i18n.ts";
import { type ProfilingNodeInput, ProfilingTreeEditor } from "../editors/ProfilingTreeEditor.tsx";
import {
  AdminForm,
  type Column,
  deleteRecord,
  FieldGroup,
  Forbidden,
  getJson,
  Link,
  ListView,
  patchJson,
  postJson,
  putJson,
  Toggle,
  useRecordForm,
  useRoute,
} from "../kit/index.ts";
import { numbersApi } from "./api.ts";
import type { NumberTabProps } from "./tabs.ts";

/** A node of `GET …/profiling/tree`: the view with its children, nested. */
type TreeNode = ProfilingNodeView & { children: TreeNode[] };
const TreeNode: z.ZodType<TreeNode> = z.lazy(() =>
  ProfilingNodeSchema.extend({ children: z.array(TreeNode) }),
);
const Tree = z.object({ items: z.array(TreeNode) });
/** A row of the list: the view and its path from the root ("Sales › Product"). */
const ProfilingItem = ProfilingNodeSchema.extend({ path: z.string() });
type ProfilingItem = z.infer<typeof ProfilingItem>;

function flatten(nodes: readonly TreeNode[]): ProfilingNodeView[] {
  return nodes.flatMap(({ children, ...node }) => [node, ...flatten(children)]);
}

export function ProfilingTab({ number, onNumberChange }: NumberTabProps) {
  const { t } = useI18n();
  return (
    <div class="tab-body profiling-tab">
      <ProfilingSettingsForm number={number} onNumberChange={onNumberChange} />
      <section class="tab-section" aria-labelledby="profiling-reasons-heading">
        <h2 id="profiling-reasons-heading">{t("profilingTab.reasons")}</h2>
        <p class="field-help">{t("profilingTab.reasonsHint")}</p>
        <Reasons numberId={number.id} />
      </section>
    </div>
  );
}

function ProfilingSettingsForm({ number, onNumberChange }: NumberTabProps) {
  const { t } = useI18n();
  const form = useRecordForm<NumberView, ProfilingSettings>({
    initial: number,
    load: () => numbersApi.get(number.id),
    onView: onNumberChange,
    toDraft: (view) => view.settings.profiling,
    save: (draft, view) =>
      numbersApi.update(number.id, { version: view?.version ?? number.version, profiling: draft }),
    errorPrefix: "profiling",
  });
  const { draft, set } = form;
  return (
    <AdminForm form={form} labelledBy="tab-profiling">
      <FieldGroup legend={t("profilingTab.settings")}>
        <Toggle
          name="requiredOnClose"
          label={t("profilingTab.requiredOnClose")}
          hint={t("profilingTab.requiredOnCloseHint")}
          checked={draft.requiredOnClose}
          onChange={(v) => set("requiredOnClose", v)}
        />
        <Toggle
          name="freeNotes"
          label={t("profilingTab.freeNotes")}
          hint={t("profilingTab.freeNotesHint")}
          checked={draft.freeNotes}
          onChange={(v) => set("freeNotes", v)}
        />
      </FieldGroup>
    </AdminForm>
  );
}

type TreeState =
  | { status: "loading" }
  | { status: "ready"; nodes: ProfilingNodeView[] }
  | { status: "failed"; error: unknown };

/** The reasons, as a tree or as a table, switched through the URL. */
function Reasons({ numberId }: { numberId: string }) {
  const { t } = useI18n();
  const route = useRoute();
  const params = new URLSearchParams(route.search);
  const table = params.get("view") === "table";
  const editId = params.get("edit");
  const base = `/api/admin/numbers/${encodeURIComponent(numberId)}/profiling`;
  const viewHref = (view: "tree" | "table", extra: Record<string, string> = {}) => {
    const next = new URLSearchParams(view === "table" ? { view } : extra);
    const query = next.toString();
    return `${route.path}${query ? `?${query}` : ""}`;
  };

  return (
    <>
      <div class="tab-toolbar">
        <nav class="segmented" aria-label={t("profilingTab.viewAs")}>
          <Link
            href={viewHref("tree")}
            class="button"
            aria-current={table ? undefined : "page"}
            data-view="tree"
          >
            {t("profilingTab.tree")}
          </Link>
          <Link
            href={viewHref("table")}
            class="button"
            aria-current={table ? "page" : undefined}
            data-view="table"
          >
            {t("profilingTab.table")}
          </Link>
        </nav>
        {!table && (
          <a class="button" href={`${base}/export.xlsx`} download>
            {t("adminList.export")}
          </a>
        )}
      </div>
      {table ? (
        <ReasonsTable numberId={numberId} openHref={(id) => viewHref("tree", { edit: id })} />
      ) : (
        <ReasonsTree key={editId ?? ""} base={base} editId={editId} />
      )}
    </>
  );
}

function ReasonsTree({ base, editId }: { base: string; editId: string | null }) {
  const { t } = useI18n();
  const [state, setState] = useState<TreeState>({ status: "loading" });

  const reload = useCallback(async () => {
    try {
      const tree = await getJson(`${base}/tree`, Tree);
      setState({ status: "ready", nodes: flatten(tree.items) });
    } catch (error) {
      setState({ status: "failed", error });
    }
  }, [base]);
  useEffect(() => {
    void reload();
  }, [reload]);

  if (state.status === "loading") return <Loading />;
  if (state.status === "failed") {
    if (state.error instanceof ApiError && state.error.status === 403) return <Forbidden />;
    return (
      <LoadError
        message={t("form.loadFailed", {
          message: errorMessage(state.error, t("app.networkError"), t("app.unexpectedError")),
        })}
        onRetry={() => void reload()}
      />
    );
  }

  const url = (id: string) => `${base}/${encodeURIComponent(id)}`;
  return (
    <ProfilingTreeEditor
      nodes={state.nodes}
      editId={editId}
      onReload={() => void reload()}
      onCreate={async (parentId: string | null, input: ProfilingNodeInput) => {
        const node = await postJson(base, ProfilingNodeSchema, { parentId, ...input });
        await reload();
        return node;
      }}
      onUpdate={async (node, input) => {
        const saved = await patchJson(url(node.id), ProfilingNodeSchema, {
          version: node.version,
          ...input,
        });
        await reload();
        return saved;
      }}
      onDelete={async (node) => {
        await deleteRecord(url(node.id));
        await reload();
      }}
      onReorder={async (parentId, ids) => {
        await putJson(`${base}/order`, null, { parentId, ids });
        await reload();
      }}
    />
  );
}

function ReasonsTable({
  numberId,
  openHref,
}: {
  numberId: string;
  openHref: (id: string) => string;
}) {
  const { t } = useI18n();
  const columns: Column<ProfilingItem>[] = [
    { key: "value", label: t("profiling.value"), sort: "value", render: (n) => n.value },
    { key: "path", label: t("profilingTab.path"), render: (n) => n.path },
    { key: "level", label: t("profilingTab.level"), numeric: true, render: (n) => n.level },
    {
      key: "position",
      label: t("profilingTab.position"),
      sort: "position",
      numeric: true,
      render: (n) => n.position,
    },
    {
      key: "childrenLabel",
      label: t("profiling.childrenLabel"),
      render: (n) => n.childrenLabel ?? t("app.none"),
    },
    {
      key: "notesAllowed",
      label: t("profiling.notesAllowed"),
      render: (n) => (n.notesAllowed ? t("admin.yes") : t("admin.no")),
    },
  ];
  return (
    <ListView
      title={t("profilingTab.reasonsList")}
      headingLevel={2}
      resource={`numbers/${encodeURIComponent(numberId)}/profiling`}
      item={ProfilingItem}
      columns={columns}
      defaultSort="position"
      href={(n) => openHref(n.id)}
      label={(n) => n.path}
      emptyText={t("profiling.empty")}
    />
  );
}
