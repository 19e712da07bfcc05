/**
 * Edits a number's closing reasons: a tree of at most 3 levels. Each reason has a value,
 * the label of its children's choice and whether notes are allowed; reasons are added
 * (as children too, except at level 3), edited in place, deleted with their subtree after
 * a confirmation, moved among their siblings, and found with a search that keeps each
 * match's ancestors visible. Every change is one API call made by the caller; errors
 * come back as `ApiError` and are shown next to the field they name.
 */
import { useEffect, useId, useMemo, useRef, useState } from "preact/hooks";
import type { ProfilingNodeView } from "../../../shared/admin.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { ConfirmDialog } from "../kit/ConfirmDialog.tsx";
import { type FieldErrors, fieldErrors, NO_ERRORS } from "../kit/errors.ts";
import { FormScopeContext, TextField, Toggle } from "../kit/fields.tsx";
import {
  buildTree,
  canAddChild,
  matchesQuery,
  normalize,
  siblingIds,
  subtreeSize,
  type TreeNode,
  visibleIds,
} from "./profiling-tree.ts";
import { moveBy } from "./reorder.ts";

/** What the node form sends (the contract's `ProfilingNodeFields`). */
export interface ProfilingNodeInput {
  value: string;
  childrenLabel: string | null;
  notesAllowed: boolean;
}

export interface ProfilingTreeEditorProps {
  nodes: readonly ProfilingNodeView[];
  /** Creates a reason under `parentId` (null = top level); resolves with the stored node. */
  onCreate: (parentId: string | null, input: ProfilingNodeInput) => Promise<ProfilingNodeView>;
  /** Saves a reason with the version in `node`; a stale one rejects with 409. */
  onUpdate: (node: ProfilingNodeView, input: ProfilingNodeInput) => Promise<ProfilingNodeView>;
  /** Deletes a reason and its subtree. */
  onDelete: (node: ProfilingNodeView) => Promise<void>;
  /** Saves the order of the siblings under `parentId`. */
  onReorder: (parentId: string | null, ids: readonly string[]) => Promise<void>;
  /** Loads the tree afresh (after a conflict, or a failed reorder). */
  onReload: () => void;
  disabled?: boolean;
  /** Open this reason's edit form at once (a deep link from the table view). */
  editId?: string | null;
}

/** Which form is open: editing a node, or adding under a parent (null = top level). */
type Editing = { kind: "edit"; id: string } | { kind: "add"; parentId: string | null } | null;

export function ProfilingTreeEditor(props: ProfilingTreeEditorProps) {
  const { t } = useI18n();
  const uid = useId().replace(/[^A-Za-z0-9_-]/g, "");
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<Editing>(
    props.editId ? { kind: "edit", id: props.editId } : null,
  );
  const [deleting, setDeleting] = useState<ProfilingNodeView | null>(null);
  const tree = useMemo(() => buildTree(props.nodes), [props.nodes]);
  const visible = useMemo(() => visibleIds(props.nodes, query), [props.nodes, query]);
  const searching = visible !== null;

  // Focus to restore once the element exists (new nodes appear only after the reload):
  // the first of the ids that exists and is enabled.
  const pendingFocus = useRef<readonly string[] | null>(null);
  useEffect(() => {
    const ids = pendingFocus.current;
    if (!ids) return;
    for (const id of ids) {
      const element = document.getElementById(id);
      if (element && !(element as HTMLButtonElement).disabled) {
        pendingFocus.current = null;
        element.focus();
        return;
      }
    }
  });
  const focusLater = (...ids: string[]) => {
    pendingFocus.current = ids;
  };
  // One reorder at a time: a second click waits for nothing and is ignored.
  const moving = useRef(false);
  const rowId = (id: string) => `${uid}-node-${id}`;
  const rootAddId = `${uid}-add-root`;

  const context: TreeContext = {
    uid,
    query,
    visible,
    editing,
    setEditing,
    searching,
    disabled: props.disabled ?? false,
    nodes: props.nodes,
    props,
    rowId,
    focusLater,
    moving,
    askDelete: setDeleting,
  };

  return (
    <div class="profiling-editor">
      <div class="profiling-toolbar">
        <div class="toolbar-field">
          <label for={`${uid}-search`}>{t("profiling.search")}</label>
          <input
            id={`${uid}-search`}
            type="search"
            value={query}
            maxLength={100}
            aria-describedby={`${uid}-search-result`}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </div>
        <p id={`${uid}-search-result`} class="muted" aria-live="polite">
          {searching
            ? t("profiling.matches", {
                n: props.nodes.filter((n) => matchesQuery(n, query)).length,
              })
            : t("profiling.count", { n: props.nodes.length })}
        </p>
      </div>
      {searching && <p class="field-help">{t("profiling.reorderOffWhileSearching")}</p>}

      {tree.length === 0 && editing?.kind !== "add" && (
        <p class="empty-state">{t("profiling.empty")}</p>
      )}
      {searching && visible.size === 0 && tree.length > 0 && (
        <p class="empty-state">{t("profiling.noMatch", { q: query.trim() })}</p>
      )}

      <NodeList items={tree} parentId={null} ctx={context} level={1} />

      {editing?.kind === "add" && editing.parentId === null ? (
        <NodeForm
          ctx={context}
          level={1}
          onDone={(saved) => {
            setEditing(null);
            focusLater(saved ? rowId(saved.id) : rootAddId);
          }}
        />
      ) : (
        <button
          id={rootAddId}
          type="button"
          class="button profiling-add-root"
          disabled={context.disabled}
          onClick={() => setEditing({ kind: "add", parentId: null })}
        >
          {t("profiling.addRoot")}
        </button>
      )}

      {deleting && (
        <ConfirmDialog
          title={t("profiling.deleteTitle")}
          message={
            <p>
              {subtreeSize(props.nodes, deleting.id) > 1
                ? t("profiling.deleteWithChildren", {
                    value: deleting.value,
                    n: subtreeSize(props.nodes, deleting.id) - 1,
                  })
                : t("profiling.deleteOne", { value: deleting.value })}
            </p>
          }
          confirmLabel={t("admin.delete")}
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await props.onDelete(deleting);
            setDeleting(null);
            focusLater(deleting.parentId ? rowId(deleting.parentId) : rootAddId);
          }}
        />
      )}
    </div>
  );
}

interface TreeContext {
  uid: string;
  query: string;
  visible: Set<string> | null;
  editing: Editing;
  setEditing: (editing: Editing) => void;
  searching: boolean;
  disabled: boolean;
  nodes: readonly ProfilingNodeView[];
  props: ProfilingTreeEditorProps;
  rowId: (id: string) => string;
  focusLater: (...ids: string[]) => void;
  moving: { current: boolean };
  askDelete: (node: ProfilingNodeView) => void;
}

function NodeList({
  items,
  parentId,
  ctx,
  level,
}: {
  items: readonly TreeNode[];
  parentId: string | null;
  ctx: TreeContext;
  level: number;
}) {
  const shown = items.filter((item) => ctx.visible === null || ctx.visible.has(item.node.id));
  if (shown.length === 0) return null;
  return (
    <ul class={`profiling-level profiling-level-${level}`}>
      {shown.map((item) => (
        <NodeItem key={item.node.id} item={item} parentId={parentId} ctx={ctx} />
      ))}
    </ul>
  );
}

function NodeItem({
  item,
  parentId,
  ctx,
}: {
  item: TreeNode;
  parentId: string | null;
  ctx: TreeContext;
}) {
  const { t } = useI18n();
  const { node } = item;
  const siblings = siblingIds(ctx.nodes, parentId);
  const index = siblings.indexOf(node.id);
  const editingThis = ctx.editing?.kind === "edit" && ctx.editing.id === node.id;
  const addingHere = ctx.editing?.kind === "add" && ctx.editing.parentId === node.id;
  const rowId = ctx.rowId(node.id);
  const addAllowed = canAddChild(node);

  const move = async (delta: number) => {
    const next = moveBy(siblings, node.id, delta);
    if (next === siblings || ctx.moving.current) return;
    ctx.moving.current = true;
    // Keep the keyboard on the moved reason: the same button, or the other one at an end.
    const same = `${rowId}-${delta < 0 ? "up" : "down"}`;
    const other = `${rowId}-${delta < 0 ? "down" : "up"}`;
    ctx.focusLater(same, other);
    try {
      await ctx.props.onReorder(parentId, next);
    } catch {
      ctx.props.onReload();
    } finally {
      ctx.moving.current = false;
    }
  };

  return (
    <li class="profiling-node" data-node={node.id}>
      {editingThis ? (
        <NodeForm
          ctx={ctx}
          level={node.level}
          node={node}
          onDone={() => {
            ctx.setEditing(null);
            ctx.focusLater(`${rowId}-edit`);
          }}
        />
      ) : (
        <div id={rowId} class="profiling-row" tabIndex={-1}>
          <span class="profiling-value">
            <Highlight text={node.value} query={ctx.query} />
          </span>
          {node.childrenLabel && (
            <span class="tag" title={t("profiling.childrenLabel")}>
              {t("profiling.childrenLabelTag", { label: node.childrenLabel })}
            </span>
          )}
          {node.notesAllowed && <span class="tag">{t("profiling.notesTag")}</span>}
          <span class="profiling-actions">
            <button
              id={`${rowId}-edit`}
              type="button"
              class="button button-small"
              disabled={ctx.disabled}
              aria-label={t("profiling.editNamed", { value: node.value })}
              onClick={() => ctx.setEditing({ kind: "edit", id: node.id })}
            >
              {t("profiling.edit")}
            </button>
            <button
              type="button"
              class="button button-small"
              disabled={ctx.disabled || !addAllowed}
              aria-label={t("profiling.addChildNamed", { value: node.value })}
              title={addAllowed ? undefined : t("profiling.maxDepth")}
              onClick={() => ctx.setEditing({ kind: "add", parentId: node.id })}
            >
              {t("profiling.addChild")}
            </button>
            <button
              type="button"
              class="button button-small button-danger-outline"
              disabled={ctx.disabled}
              aria-label={t("profiling.deleteNamed", { value: node.value })}
              onClick={() => ctx.askDelete(node)}
            >
              {t("admin.delete")}
            </button>
            <button
              id={`${rowId}-up`}
              type="button"
              class="icon-button"
              disabled={ctx.disabled || ctx.searching || index <= 0}
              aria-label={t("reorder.up", { name: node.value })}
              title={t("reorder.up", { name: node.value })}
              onClick={() => void move(-1)}
            >
              ↑
            </button>
            <button
              id={`${rowId}-down`}
              type="button"
              class="icon-button"
              disabled={ctx.disabled || ctx.searching || index >= siblings.length - 1}
              aria-label={t("reorder.down", { name: node.value })}
              title={t("reorder.down", { name: node.value })}
              onClick={() => void move(1)}
            >
              ↓
            </button>
          </span>
        </div>
      )}
      <NodeList items={item.children} parentId={node.id} ctx={ctx} level={node.level + 1} />
      {addingHere && (
        <ul class={`profiling-level profiling-level-${node.level + 1}`}>
          <li>
            <NodeForm
              ctx={ctx}
              level={node.level + 1}
              parent={node}
              onDone={(saved) => {
                ctx.setEditing(null);
                ctx.focusLater(saved ? ctx.rowId(saved.id) : rowId);
              }}
            />
          </li>
        </ul>
      )}
    </li>
  );
}

/** The inline form that adds (under `parent`, or at the top) or edits (`node`) a reason. */
function NodeForm({
  ctx,
  level,
  node,
  parent,
  onDone,
}: {
  ctx: TreeContext;
  level: number;
  node?: ProfilingNodeView;
  parent?: ProfilingNodeView;
  onDone: (saved: ProfilingNodeView | null) => void;
}) {
  const { t } = useI18n();
  const formId = `${ctx.uid}-form-${node?.id ?? `add-${parent?.id ?? "root"}`}`;
  const [value, setValue] = useState(node?.value ?? "");
  const [childrenLabel, setChildrenLabel] = useState(node?.childrenLabel ?? "");
  const [notesAllowed, setNotesAllowed] = useState(node?.notesAllowed ?? false);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const canHaveChildren = level < 3;

  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>("input[name='value']")?.focus();
  }, []);

  // The node prop carries the version; after a Reload it is the fresh one.
  const current = node ? (ctx.nodes.find((n) => n.id === node.id) ?? node) : undefined;

  // After a conflict's Reload, show the stored reason as it now is (as every admin form
  // does: reloading shows their changes and discards ours).
  const reloading = useRef(false);
  useEffect(() => {
    if (!reloading.current || !current) return;
    reloading.current = false;
    setValue(current.value);
    setChildrenLabel(current.childrenLabel ?? "");
    setNotesAllowed(current.notesAllowed);
    setConflict(null);
    setErrors(NO_ERRORS);
  }, [current]);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    setFormError(null);
    const input: ProfilingNodeInput = {
      value,
      childrenLabel: canHaveChildren && childrenLabel.trim() ? childrenLabel : null,
      notesAllowed,
    };
    try {
      const saved = current
        ? await ctx.props.onUpdate(current, input)
        : await ctx.props.onCreate(parent?.id ?? null, input);
      setConflict(null);
      onDone(saved);
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.status === 409 && error.code === "conflict") {
        setConflict(error.message);
        requestAnimationFrame(() =>
          formRef.current?.querySelector<HTMLElement>(".conflict")?.focus(),
        );
      } else if (error instanceof ApiError && error.fields.length > 0) {
        setErrors(fieldErrors(error.fields));
        requestAnimationFrame(() =>
          formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus(),
        );
      } else {
        setFormError(
          t("form.saveFailed", {
            message: errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
          }),
        );
      }
    }
  }

  const title = node
    ? t("profiling.editTitle", { value: node.value })
    : parent
      ? t("profiling.addUnder", { value: parent.value })
      : t("profiling.addRoot");

  return (
    <form
      ref={formRef}
      id={formId}
      class="inline-form profiling-node-form"
      aria-label={title}
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy) {
          e.preventDefault();
          onDone(null);
        }
      }}
    >
      <p class="inline-form-title">{title}</p>
      {conflict && (
        <div class="conflict" role="alert" tabIndex={-1}>
          <p>{conflict}</p>
          <p class="field-help">{t("form.conflictHint")}</p>
          <button
            type="button"
            class="button conflict-reload"
            onClick={() => {
              reloading.current = true;
              ctx.props.onReload();
            }}
          >
            {t("form.conflictReload")}
          </button>
        </div>
      )}
      {formError && (
        <p class="form-error" role="alert">
          {formError}
        </p>
      )}
      <FormScopeContext.Provider value={{ formId, errors, disabled: busy }}>
        <div class="field-grid">
          <TextField
            name="value"
            label={t("profiling.value")}
            value={value}
            maxLength={100}
            required
            onInput={setValue}
          />
          {canHaveChildren && (
            <TextField
              name="childrenLabel"
              label={t("profiling.childrenLabel")}
              hint={t("profiling.childrenLabelHint")}
              value={childrenLabel}
              maxLength={60}
              required={false}
              onInput={setChildrenLabel}
            />
          )}
          <Toggle
            name="notesAllowed"
            label={t("profiling.notesAllowed")}
            checked={notesAllowed}
            onChange={setNotesAllowed}
          />
        </div>
      </FormScopeContext.Provider>
      <div class="editor-actions">
        <button type="submit" class="button button-primary" disabled={busy} aria-busy={busy}>
          {busy && <span class="spinner spinner-small" aria-hidden="true" />}
          {node ? t("admin.save") : t("profiling.add")}
        </button>
        <button type="button" class="button" disabled={busy} onClick={() => onDone(null)}>
          {t("admin.cancel")}
        </button>
      </div>
    </form>
  );
}

/** The text with the query's occurrences marked (accent- and case-insensitive when lengths allow). */
function Highlight({ text, query }: { text: string; query: string }) {
  const q = normalize(query);
  if (!q) return <>{text}</>;
  const haystack = normalize(text);
  // Normalising can change the length (ß, ligatures); then marking positions would be wrong.
  if (haystack.length !== text.length) return <>{text}</>;
  const at = haystack.indexOf(q);
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </>
  );
}
