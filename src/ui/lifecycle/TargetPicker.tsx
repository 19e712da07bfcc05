/**
 * The two ways to pick who gets a conversation, shared by Transfer and Conference: a
 * filterable table of colleagues with their status and a Ready column, and the skillsets
 * with how many of their agents are free. Plain radios, so arrow keys move the choice.
 */
import { useState } from "preact/hooks";
import type { TransferTargets } from "../../shared/protocol.ts";
import { useI18n } from "../i18n.ts";
import { filterAgents, readinessLabel } from "./labels.ts";

interface AgentTableProps {
  /** Prefix of the control names and ids: `transfer` → `#transfer-filter`, `transfer-agent`. */
  prefix: string;
  agents: TransferTargets["agents"];
  /** Colleagues not to offer (myself, guests already in the conversation). */
  excluded: ReadonlySet<string>;
  selectedId: string | null;
  onSelect: (agentId: string) => void;
}

/** Colleagues in a table: filter box, radio per row (the whole row is clickable), Ready column. */
export function AgentTable({ prefix, agents, excluded, selectedId, onSelect }: AgentTableProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState("");
  const shown = filterAgents(agents, filter, excluded);
  const anyone = agents.some((agent) => !excluded.has(agent.id));
  return (
    <div class="target-agents">
      <div class="field">
        <label for={`${prefix}-filter`}>{t("targets.filter")}</label>
        <input
          id={`${prefix}-filter`}
          type="search"
          autoComplete="off"
          value={filter}
          placeholder={t("targets.filterHelp")}
          onInput={(e) => setFilter(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter narrows, it does not submit: with one match left, it picks that one.
            if (e.key !== "Enter" || e.isComposing) return;
            e.preventDefault();
            const only = shown.length === 1 ? shown[0] : undefined;
            if (only) onSelect(only.id);
          }}
        />
      </div>
      {shown.length === 0 ? (
        <p class="empty-state" role="status">
          {anyone ? t("targets.noMatch", { filter: filter.trim() }) : t("targets.noAgents")}
        </p>
      ) : (
        <div class="target-table-wrap">
          <table class="target-table">
            <caption class="visually-hidden">{t("targets.agents")}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">{t("targets.choose")}</span>
                </th>
                <th scope="col">{t("targets.name")}</th>
                <th scope="col">{t("targets.status")}</th>
                <th scope="col">{t("targets.load")}</th>
                <th scope="col">{t("targets.ready")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((agent) => {
                const inputId = `${prefix}-agent-${agent.id}`;
                const ready = readinessLabel(agent);
                const selected = agent.id === selectedId;
                return (
                  <tr
                    key={agent.id}
                    data-agent={agent.id}
                    class={selected ? "is-selected" : undefined}
                    onClick={() => onSelect(agent.id)}
                  >
                    <td>
                      <input
                        id={inputId}
                        type="radio"
                        name={`${prefix}-agent`}
                        value={agent.id}
                        checked={selected}
                        onChange={() => onSelect(agent.id)}
                      />
                    </td>
                    <td>
                      <label for={inputId}>{agent.name}</label>
                    </td>
                    <td>{t(`status.${agent.status}`)}</td>
                    <td>
                      {t("header.loadValue", { load: agent.load, max: agent.maxConversations })}
                    </td>
                    <td class="target-ready" data-ready={agent.available ? "true" : "false"}>
                      {t(ready.key, ready.params)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

interface SkillsetListProps {
  prefix: string;
  skillsets: TransferTargets["skillsets"];
  selectedId: string | null;
  onSelect: (skillsetId: string) => void;
}

/** Skillsets as radios, each saying how many of its agents could take the conversation now. */
export function SkillsetList({ prefix, skillsets, selectedId, onSelect }: SkillsetListProps) {
  const { t } = useI18n();
  if (skillsets.length === 0) {
    return (
      <p class="empty-state" role="status">
        {t("targets.noSkillsets")}
      </p>
    );
  }
  return (
    <fieldset class="choice-group">
      <legend>{t("targets.skillsets")}</legend>
      {skillsets.map((skillset) => (
        <label key={skillset.id} class="choice" data-skillset={skillset.id}>
          <input
            type="radio"
            name={`${prefix}-skillset`}
            value={skillset.id}
            checked={skillset.id === selectedId}
            onChange={() => onSelect(skillset.id)}
          />
          <span>
            {skillset.name}{" "}
            <span class={skillset.available > 0 ? "choice-help" : "choice-help is-none"}>
              {t("targets.available", { n: skillset.available })}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
