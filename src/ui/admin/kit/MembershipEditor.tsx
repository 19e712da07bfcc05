/**
 * Edits a membership list: rows of {a skillset or user, agent priority 1–9}, with Add
 * and Remove. `name` is the select's contract name (`skillsetId` or `userId`); errors are
 * looked up as `<path>.<index>.<name>` and `<path>.<index>.agentPriority`.
 */
import { useContext } from "preact/hooks";
import { useI18n } from "../../i18n.ts";
import { errorId, fieldDomId } from "./errors.ts";
import { FieldError, FormScopeContext, type Option } from "./fields.tsx";
import {
  AGENT_PRIORITIES,
  DEFAULT_AGENT_PRIORITY,
  duplicateRows,
  type MembershipRow,
} from "./membership.ts";

interface MembershipEditorProps {
  legend: string;
  /** `skillsetId` or `userId`: the select's name and the error path's last segment. */
  name: "skillsetId" | "userId";
  /** The label of the option select, e.g. "Skillset" or "Agent". */
  optionLabel: string;
  options: readonly Option[];
  rows: readonly MembershipRow[];
  onChange: (rows: MembershipRow[]) => void;
  /** The body path of the list: `memberships` or `members`. */
  path: string;
  hint?: string;
}

export function MembershipEditor({
  legend,
  name,
  optionLabel,
  options,
  rows,
  onChange,
  path,
  hint,
}: MembershipEditorProps) {
  const { t } = useI18n();
  const scope = useContext(FormScopeContext);
  const duplicates = duplicateRows(rows);
  const labelOf = (ref: string) => options.find((o) => o.value === ref)?.label ?? ref;

  const update = (index: number, patch: Partial<MembershipRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const add = () => {
    onChange([
      ...rows,
      // Unchosen: the admin picks (the first name in the list, often an admin, was
      // preselected and easily saved by mistake); an unchosen row is not saved.
      { ref: "", agentPriority: DEFAULT_AGENT_PRIORITY },
    ]);
    // Put the keyboard on the new row's select.
    requestAnimationFrame(() =>
      document.getElementById(fieldDomId(scope.formId, `${path}.${rows.length}.${name}`))?.focus(),
    );
  };

  const remove = (index: number) => {
    onChange(rows.filter((_, i) => i !== index));
    // Focus moves to the row that took its place, or to Add.
    requestAnimationFrame(() => {
      const next =
        document.getElementById(fieldDomId(scope.formId, `${path}.${index}.${name}`)) ??
        document.getElementById(`${scope.formId}-${path}-add`);
      next?.focus();
    });
  };

  const listError = scope.errors[path];
  scope.labels?.set(path, legend);

  return (
    <fieldset class="field-group membership-editor">
      <legend>{legend}</legend>
      {hint && <p class="field-help">{hint}</p>}
      <FieldError id={errorId(scope.formId, path)} path={path} message={listError} />
      {rows.length === 0 && <p class="muted">{t("membership.empty")}</p>}
      {rows.length > 0 && (
        <ul class="membership-rows">
          {rows.map((row, index) => {
            const refPath = `${path}.${index}.${name}`;
            const priorityPath = `${path}.${index}.agentPriority`;
            const refId = fieldDomId(scope.formId, refPath);
            const priorityId = fieldDomId(scope.formId, priorityPath);
            const refError =
              scope.errors[refPath] ??
              scope.errors[`${path}.${index}`] ??
              (duplicates.has(index) ? t("membership.duplicate") : undefined);
            const priorityError = scope.errors[priorityPath];
            scope.labels?.set(refPath, `${legend} ${index + 1}: ${optionLabel}`);
            scope.labels?.set(
              priorityPath,
              `${legend} ${index + 1}: ${t("membership.agentPriority")}`,
            );
            return (
              // Rows have no identity of their own; the index is what the error paths use as key.
              <li key={index} class="membership-row">
                <div class="field">
                  <label for={refId}>{optionLabel}</label>
                  <select
                    id={refId}
                    name={name}
                    value={row.ref}
                    disabled={scope.disabled}
                    aria-invalid={refError ? true : undefined}
                    aria-describedby={refError ? errorId(scope.formId, refPath) : undefined}
                    onChange={(e) => update(index, { ref: e.currentTarget.value })}
                  >
                    <option value="">{t("membership.choose")}</option>
                    {options.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                    {row.ref && !options.some((o) => o.value === row.ref) && (
                      <option value={row.ref}>{row.ref}</option>
                    )}
                  </select>
                  <FieldError
                    id={errorId(scope.formId, refPath)}
                    path={refPath}
                    message={refError}
                  />
                </div>
                <div class="field">
                  <label for={priorityId}>{t("membership.agentPriority")}</label>
                  <select
                    id={priorityId}
                    name="agentPriority"
                    value={String(row.agentPriority)}
                    disabled={scope.disabled}
                    aria-invalid={priorityError ? true : undefined}
                    aria-describedby={
                      priorityError ? errorId(scope.formId, priorityPath) : undefined
                    }
                    onChange={(e) =>
                      update(index, { agentPriority: Number(e.currentTarget.value) })
                    }
                  >
                    {AGENT_PRIORITIES.map((p) => (
                      <option key={p} value={String(p)}>
                        {p}
                      </option>
                    ))}
                  </select>
                  <FieldError
                    id={errorId(scope.formId, priorityPath)}
                    path={priorityPath}
                    message={priorityError}
                  />
                </div>
                <button
                  type="button"
                  class="button membership-remove"
                  disabled={scope.disabled}
                  aria-label={t("membership.removeRow", {
                    name: row.ref ? labelOf(row.ref) : String(index + 1),
                  })}
                  onClick={() => remove(index)}
                >
                  {t("membership.remove")}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button
        id={`${scope.formId}-${path}-add`}
        type="button"
        class="button membership-add"
        disabled={scope.disabled}
        onClick={add}
      >
        {t("membership.add")}
      </button>
    </fieldset>
  );
}
