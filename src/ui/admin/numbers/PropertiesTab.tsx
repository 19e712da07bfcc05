/**
 * The customer-properties tab: the number's custom customer fields (at most 50) as an
 * admin list (search, sort, page size, Excel), a counter "n / 50", a form in a dialog to
 * add or edit one (`?property=new|<id>`, so Back and reload keep it open), delete with a
 * confirmation, and a reorder mode over all of them that saves each move.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { z } from "zod";
import {
  CustomerPropertyView,
  MAX_CUSTOMER_PROPERTIES,
  PropertyType,
} from "../../../shared/admin.ts";
import { ApiError, errorMessage } from "../../api.ts";
import { useI18n } from "../../i18n.ts";
import { FormDialog } from "../editors/FormDialog.tsx";
import {
  emptyProperty,
  optionsError,
  type PropertyDraft,
  propertyBody,
  propertyToDraft,
} from "../editors/property.ts";
import { ReorderableList } from "../editors/ReorderableList.tsx";
import {
  AdminForm,
  type Column,
  ConfirmDialog,
  deleteRecord,
  FieldError,
  fetchAll,
  ListView,
  navigate,
  patchJson,
  postJson,
  putJson,
  RecordGate,
  SelectField,
  TextAreaField,
  TextField,
  Toggle,
  useAdmin,
  useRecordForm,
  useRoute,
} from "../kit/index.ts";
import type { NumberTabProps } from "./tabs.ts";

const TYPES = PropertyType.options;
const PARAM = "property";

function base(numberId: string): string {
  return `numbers/${encodeURIComponent(numberId)}/properties`;
}

/** Every property of the number in position order (≤ 50, one page). */
function loadAll(numberId: string) {
  return fetchAll("/api/admin", base(numberId), CustomerPropertyView, "position");
}

/** The current URL with `?property=` set (or removed). */
function withProperty(path: string, search: string, value: string | null): string {
  const params = new URLSearchParams(search);
  if (value === null) params.delete(PARAM);
  else params.set(PARAM, value);
  const query = params.toString();
  return `${path}${query ? `?${query}` : ""}`;
}

type AllState =
  | { status: "loading" }
  | { status: "ready"; items: CustomerPropertyView[] }
  | { status: "failed"; error: unknown };

export function PropertiesTab({ number }: NumberTabProps) {
  const { t } = useI18n();
  const { showToast } = useAdmin();
  const route = useRoute();
  const editing = new URLSearchParams(route.search).get(PARAM);
  const [all, setAll] = useState<AllState>({ status: "loading" });
  const [reloadKey, setReloadKey] = useState(0);
  const [ordering, setOrdering] = useState(false);
  // Moves are saved one after another, each with the order as it then stands.
  const orderQueue = useRef<Promise<void>>(Promise.resolve());
  const lastOrder = useRef(0);

  const reloadAll = useCallback(async () => {
    try {
      setAll({ status: "ready", items: await loadAll(number.id) });
    } catch (error) {
      setAll({ status: "failed", error });
    }
  }, [number.id]);
  useEffect(() => {
    void reloadAll();
  }, [reloadAll]);

  const refresh = () => {
    void reloadAll();
    setReloadKey((k) => k + 1);
  };
  const close = () => navigate(withProperty(route.path, route.search, null));
  const count = all.status === "ready" ? all.items.length : null;
  const full = count !== null && count >= MAX_CUSTOMER_PROPERTIES;

  const saveOrder = (ids: readonly string[]) => {
    if (all.status !== "ready") return;
    const byId = new Map(all.items.map((p) => [p.id, p]));
    // Show the new order at once (the buttons stay usable, so focus stays put); the last
    // answer, or a reload on failure, settles it.
    setAll({ status: "ready", items: ids.flatMap((id) => byId.get(id) ?? []) });
    const mine = ++lastOrder.current;
    orderQueue.current = orderQueue.current.then(async () => {
      try {
        const answer = await putJson(
          `/api/admin/${base(number.id)}/order`,
          z.object({ items: z.array(CustomerPropertyView) }),
          { ids },
        );
        if (mine === lastOrder.current) setAll({ status: "ready", items: answer.items });
      } catch (error) {
        showToast(
          t("properties.orderFailed", {
            message: errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
          }),
          "error",
        );
        void reloadAll();
      }
    });
  };

  const columns: Column<CustomerPropertyView>[] = [
    { key: "name", label: t("properties.name"), sort: "name", render: (p) => p.name },
    {
      key: "type",
      label: t("properties.type"),
      sort: "type",
      render: (p) =>
        p.type === "choice"
          ? `${t(`properties.type.${p.type}`)} (${p.options.length})`
          : t(`properties.type.${p.type}`),
    },
    {
      key: "position",
      label: t("properties.position"),
      sort: "position",
      numeric: true,
      render: (p) => p.position,
    },
    {
      key: "modifiableByAgent",
      label: t("properties.modifiableByAgentShort"),
      render: (p) => (p.modifiableByAgent ? t("admin.yes") : t("admin.no")),
    },
    {
      key: "showInCustomerList",
      label: t("properties.showInCustomerListShort"),
      render: (p) => (p.showInCustomerList ? t("admin.yes") : t("admin.no")),
    },
    {
      key: "showInConversationList",
      label: t("properties.showInConversationListShort"),
      render: (p) => (p.showInConversationList ? t("admin.yes") : t("admin.no")),
    },
  ];

  return (
    <div class="tab-body properties-tab">
      <div class="tab-toolbar">
        <p class={`limit-counter${full ? " is-full" : ""}`} id="properties-count">
          {count === null
            ? t("app.loading")
            : t("properties.count", { n: count, max: MAX_CUSTOMER_PROPERTIES })}
        </p>
        {full && <p class="field-help">{t("properties.full")}</p>}
        <button
          type="button"
          class="button"
          id="properties-reorder"
          aria-pressed={ordering}
          disabled={all.status !== "ready" || (count ?? 0) < 2}
          onClick={() => {
            if (ordering) setReloadKey((k) => k + 1);
            setOrdering(!ordering);
          }}
        >
          {ordering ? t("properties.reorderDone") : t("properties.reorder")}
        </button>
      </div>

      {ordering && all.status === "ready" ? (
        <section class="reorder-panel" aria-labelledby="properties-order-heading">
          <h2 id="properties-order-heading">{t("properties.orderTitle")}</h2>
          <p class="field-help">{t("properties.orderHint")}</p>
          <ReorderableList
            items={all.items}
            idOf={(p) => p.id}
            labelOf={(p) => p.name}
            label={t("properties.orderTitle")}
            onReorder={saveOrder}
            render={(p) => (
              <>
                <strong>{p.name}</strong>{" "}
                <span class="muted">{t(`properties.type.${p.type}`)}</span>
              </>
            )}
          />
        </section>
      ) : (
        <ListView
          title={t("properties.title")}
          headingLevel={2}
          resource={base(number.id)}
          item={CustomerPropertyView}
          columns={columns}
          defaultSort="position"
          reloadKey={reloadKey}
          href={(p) => withProperty(route.path, route.search, p.id)}
          label={(p) => p.name}
          newHref={full ? undefined : withProperty(route.path, route.search, "new")}
          newLabel={t("properties.new")}
          emptyText={t("properties.empty")}
        />
      )}

      {editing !== null && (
        <PropertyDialog
          key={editing}
          numberId={number.id}
          id={editing === "new" ? null : editing}
          full={full && editing === "new"}
          onClose={close}
          onChanged={refresh}
        />
      )}
    </div>
  );
}

/** Add or edit one property, in a modal dialog. */
function PropertyDialog({
  numberId,
  id,
  full,
  onClose,
  onChanged,
}: {
  numberId: string;
  id: string | null;
  full: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { showToast } = useAdmin();
  const [deleting, setDeleting] = useState(false);
  const url = `/api/admin/${base(numberId)}`;
  const form = useRecordForm<CustomerPropertyView, PropertyDraft>({
    load:
      id === null
        ? undefined
        : async () => {
            const found = (await loadAll(numberId)).find((p) => p.id === id);
            if (!found) throw new ApiError(404, "not_found", "No such customer property");
            return found;
          },
    empty: emptyProperty(),
    toDraft: propertyToDraft,
    save: (draft, view) =>
      view
        ? patchJson(`${url}/${encodeURIComponent(view.id)}`, CustomerPropertyView, {
            version: view.version,
            ...propertyBody(draft),
          })
        : postJson(url, CustomerPropertyView, propertyBody(draft)),
    onSaved: () => {
      onChanged();
      onClose();
    },
  });
  const { draft, set, view } = form;
  const title = view ? t("properties.editTitle", { name: view.name }) : t("properties.new");
  const ready = form.status === "ready" || form.status === "new";

  return (
    <FormDialog title={title} onClose={onClose} busy={form.saving}>
      {!ready ? (
        <RecordGate
          status={form.status}
          loadError={form.loadError}
          onRetry={() => void form.reload()}
        />
      ) : full ? (
        <p class="empty-state">{t("properties.full")}</p>
      ) : (
        <AdminForm
          form={form}
          labels={{
            name: t("properties.name"),
            type: t("properties.type"),
            options: t("properties.options"),
          }}
          actions={
            <>
              <button type="button" class="button" onClick={onClose} disabled={form.saving}>
                {t("admin.cancel")}
              </button>
              {view && (
                <button
                  type="button"
                  class="button button-danger-outline"
                  onClick={() => setDeleting(true)}
                >
                  {t("admin.delete")}
                </button>
              )}
            </>
          }
        >
          <div class="field-grid">
            <TextField
              name="name"
              label={t("properties.name")}
              required
              maxLength={60}
              value={draft.name}
              onInput={(v) => set("name", v)}
            />
            <SelectField
              name="type"
              label={t("properties.type")}
              value={draft.type}
              options={TYPES.map((type) => ({ value: type, label: t(`properties.type.${type}`) }))}
              onChange={(v) => set("type", TYPES.find((type) => type === v) ?? "text")}
            />
          </div>
          {draft.type === "choice" && (
            <>
              <TextAreaField
                name="options"
                label={t("properties.options")}
                hint={t("properties.optionsHint")}
                rows={5}
                value={draft.optionsText}
                onInput={(v) => set("optionsText", v)}
              />
              <ChoiceError errors={form.errors} />
            </>
          )}
          <Toggle
            name="modifiableByAgent"
            label={t("properties.modifiableByAgent")}
            checked={draft.modifiableByAgent}
            onChange={(v) => set("modifiableByAgent", v)}
          />
          <Toggle
            name="showInCustomerList"
            label={t("properties.showInCustomerList")}
            checked={draft.showInCustomerList}
            onChange={(v) => set("showInCustomerList", v)}
          />
          <Toggle
            name="showInConversationList"
            label={t("properties.showInConversationList")}
            checked={draft.showInConversationList}
            onChange={(v) => set("showInConversationList", v)}
          />
        </AdminForm>
      )}
      {deleting && view && (
        <ConfirmDialog
          title={t("properties.deleteTitle")}
          message={t("properties.deleteMessage", { name: view.name })}
          confirmLabel={t("admin.delete")}
          danger
          onCancel={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteRecord(`${url}/${encodeURIComponent(view.id)}`);
            showToast(t("admin.deleted"));
            onChanged();
            onClose();
          }}
        />
      )}
    </FormDialog>
  );
}

/** An error about one choice (`options.3`) has no control of its own: show it under the list. */
function ChoiceError({ errors }: { errors: Readonly<Record<string, string>> }) {
  const message = errors.options ? undefined : optionsError(errors);
  if (!message) return null;
  const key = Object.keys(errors).find((k) => k.startsWith("options.")) ?? "options";
  return <FieldError path={key} message={message} />;
}
