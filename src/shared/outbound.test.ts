/** The template maths shared by the start dialog's preview and the Worker's send. */
import { describe, expect, it } from "vitest";
import type { TemplateView } from "./admin";
import {
  fillVariables,
  graphTemplate,
  missingVariables,
  outboundTemplate,
  templateText,
  variableCount,
} from "./outbound";

const view: TemplateView = {
  id: "t1",
  numberId: "n1",
  numberName: "Support",
  name: "order_ready",
  language: "it",
  category: "UTILITY",
  header: { text: "Ordine {{1}}", example: "A-1" },
  body: { text: "Ciao {{1}}, ritira {{2}}. {{1}}, confermi?", examples: ["Anna", "oggi"] },
  footer: "Demo",
  buttons: [
    { type: "QUICK_REPLY", text: "Sì" },
    { type: "URL", text: "Sito", url: "https://example.com" },
    { type: "QUICK_REPLY", text: "No" },
  ],
  status: "approved",
  statusReason: null,
  metaTemplateId: "1",
  updatedAt: 0,
  version: 1,
};

describe("template variables", () => {
  it("counts by the highest placeholder and fills every occurrence", () => {
    expect(variableCount("no variables")).toBe(0);
    expect(variableCount("{{2}} and {{1}} and {{2}}")).toBe(2);
    expect(fillVariables("Ciao {{1}}, {{1}} {{2}}", ["Anna"])).toBe("Ciao Anna, Anna {{2}}");
    expect(fillVariables("{{1}}", ["  "])).toBe("{{1}}");
  });

  it("views a template with its variables and quick replies only as quick replies", () => {
    const t = outboundTemplate(view);
    expect(t).toMatchObject({
      headerVariables: 1,
      bodyVariables: 2,
      quickReplies: ["Sì", "No"],
      otherButtons: ["Sito"],
    });
  });

  it("names each missing variable as the API does", () => {
    const t = outboundTemplate(view);
    expect(missingVariables(t, { body: [] })).toEqual([
      "message.variables.header",
      "message.variables.body.1",
      "message.variables.body.2",
    ]);
    expect(missingVariables(t, { header: "B-1", body: ["Anna", " "] })).toEqual([
      "message.variables.body.2",
    ]);
    expect(missingVariables(t, { header: "B-1", body: ["Anna", "oggi"] })).toEqual([]);
  });

  it("renders the text the customer reads and Meta's template object", () => {
    const t = outboundTemplate(view);
    const values = { header: "B-1", body: ["Anna", " oggi "] };
    expect(templateText(t, values)).toBe(
      "Ordine B-1\nCiao Anna, ritira oggi. Anna, confermi?\nDemo\n[Sì] [No]",
    );
    expect(graphTemplate(t, values)).toEqual({
      name: "order_ready",
      language: { code: "it" },
      components: [
        { type: "header", parameters: [{ type: "text", text: "B-1" }] },
        {
          type: "body",
          parameters: [
            { type: "text", text: "Anna" },
            { type: "text", text: "oggi" },
          ],
        },
        {
          type: "button",
          sub_type: "quick_reply",
          index: "0",
          parameters: [{ type: "payload", payload: "Sì" }],
        },
        {
          type: "button",
          sub_type: "quick_reply",
          index: "1",
          parameters: [{ type: "payload", payload: "No" }],
        },
      ],
    });
    const plain = outboundTemplate({
      ...view,
      header: null,
      body: { text: "Hi", examples: [] },
      buttons: [],
    });
    expect(graphTemplate(plain, { body: [] })).toEqual({
      name: "order_ready",
      language: { code: "it" },
      components: [],
    });
  });
});
