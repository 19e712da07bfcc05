import { describe, expect, it } from "vitest";
import { TemplateFields, type TemplateView } from "../../../shared/admin.ts";
import {
  addButton,
  appendVariable,
  canAddButton,
  canSubmit,
  draftFrom,
  emptyDraft,
  isEditable,
  normalizeTemplateName,
  previewSegments,
  removeButton,
  setButton,
  syncExamples,
  type TemplateButton,
  templateWarnings,
  toTemplateFields,
  variablesAreSequential,
  variablesIn,
  withBodyText,
} from "./template.ts";

describe("template variables", () => {
  it("finds distinct variables written as Meta writes them", () => {
    expect(variablesIn("Hi {{2}}, order {{1}} ({{1}}) ships")).toEqual([1, 2]);
    expect(variablesIn("{{ 1 }} {{0}} {{name}}")).toEqual([]);
    expect(variablesIn("no variables {1} {{x}}")).toEqual([]);
    expect(variablesAreSequential("{{1}} {{2}}")).toBe(true);
    expect(variablesAreSequential("{{1}} {{3}}")).toBe(false);
    expect(variablesAreSequential("{{2}}")).toBe(false);
  });

  it("keeps one example per variable as the body changes", () => {
    expect(syncExamples(["a", "b", "c"], 2)).toEqual(["a", "b"]);
    expect(syncExamples(["a"], 3)).toEqual(["a", "", ""]);
    let draft = withBodyText(emptyDraft("n1"), "Hello {{1}}");
    draft = { ...draft, bodyExamples: ["Ada"] };
    draft = appendVariable(draft);
    expect(draft.bodyText).toBe("Hello {{1}} {{2}}");
    expect(draft.bodyExamples).toEqual(["Ada", ""]);
    draft = withBodyText(draft, "Hello {{1}}");
    expect(draft.bodyExamples).toEqual(["Ada"]);
    expect(appendVariable(emptyDraft()).bodyText).toBe("{{1}}");
  });

  it("fills the preview with the examples", () => {
    expect(previewSegments("Hi {{1}}, your code is {{2}}.", ["Ada"])).toEqual([
      { kind: "text", text: "Hi " },
      { kind: "variable", n: 1, example: "Ada" },
      { kind: "text", text: ", your code is " },
      { kind: "variable", n: 2, example: "" },
      { kind: "text", text: "." },
    ]);
    expect(previewSegments("", [])).toEqual([]);
  });

  it("turns typing into a valid template name", () => {
    expect(normalizeTemplateName("Order Shipped – Città!")).toBe("order_shipped_citta");
    expect(normalizeTemplateName("already_ok_2")).toBe("already_ok_2");
  });
});

describe("template buttons", () => {
  it("caps quick replies at 3", () => {
    let buttons: TemplateButton[] = [];
    for (let i = 0; i < 5; i++) buttons = addButton(buttons, "QUICK_REPLY");
    expect(buttons.map((b) => b.type)).toEqual(["QUICK_REPLY", "QUICK_REPLY", "QUICK_REPLY"]);
  });

  it("never mixes quick replies with call-to-action buttons", () => {
    const quick = addButton([], "QUICK_REPLY");
    expect(canAddButton(quick, "URL")).toBe(false);
    expect(canAddButton(quick, "PHONE_NUMBER")).toBe(false);
    expect(addButton(quick, "URL")).toEqual(quick);
    const action = addButton([], "URL");
    expect(canAddButton(action, "QUICK_REPLY")).toBe(false);
  });

  it("allows 2 call-to-action buttons, at most one of them a call", () => {
    let buttons = addButton(addButton([], "PHONE_NUMBER"), "PHONE_NUMBER");
    expect(buttons.map((b) => b.type)).toEqual(["PHONE_NUMBER"]);
    buttons = addButton(buttons, "URL");
    expect(canAddButton(buttons, "URL")).toBe(false);
    expect(addButton(addButton([], "URL"), "URL").map((b) => b.type)).toEqual(["URL", "URL"]);
  });

  it("edits the fields of a button's own type and removes it", () => {
    let buttons = addButton(addButton([], "URL"), "PHONE_NUMBER");
    buttons = setButton(buttons, 0, { text: "Track", url: "https://example.com/t" });
    buttons = setButton(buttons, 1, { text: "Call", phoneNumber: "+390212345678", url: "x" });
    expect(buttons).toEqual([
      { type: "URL", text: "Track", url: "https://example.com/t" },
      { type: "PHONE_NUMBER", text: "Call", phoneNumber: "+390212345678" },
    ]);
    expect(removeButton(buttons, 0)).toEqual([buttons[1]]);
  });
});

describe("template drafts", () => {
  const view: TemplateView = {
    id: "t1",
    numberId: "n1",
    numberName: "Support",
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    header: { text: "Order {{1}}", example: "A-17" },
    body: { text: "Hi {{1}}, it ships {{2}}.", examples: ["Ada", "today"] },
    footer: null,
    buttons: [{ type: "QUICK_REPLY", text: "Thanks" }],
    status: "rejected",
    statusReason: "INVALID_FORMAT",
    metaTemplateId: null,
    updatedAt: 1,
    version: 3,
  };

  it("round-trips a stored template and produces a valid body", () => {
    const draft = draftFrom(view);
    const fields = toTemplateFields(draft);
    expect(fields).toEqual({
      numberId: "n1",
      name: "order_update",
      language: "en_US",
      category: "UTILITY",
      header: { text: "Order {{1}}", example: "A-17" },
      body: { text: "Hi {{1}}, it ships {{2}}.", examples: ["Ada", "today"] },
      footer: null,
      buttons: [{ type: "QUICK_REPLY", text: "Thanks" }],
    });
    expect(TemplateFields.safeParse(fields).success).toBe(true);
    expect(templateWarnings(draft)).toEqual([]);
  });

  it("turns blank header and footer into null and drops an unused header example", () => {
    const fields = toTemplateFields({
      ...emptyDraft("n1"),
      headerText: "  ",
      footer: "",
      bodyText: "Hi",
    });
    expect(fields.header).toBeNull();
    expect(fields.footer).toBeNull();
    const noVar = toTemplateFields({ ...emptyDraft("n1"), headerText: "Hi", headerExample: "x" });
    expect(noVar.header).toEqual({ text: "Hi", example: null });
  });

  it("warns about skipped variables, header variables and missing examples", () => {
    const draft = {
      ...withBodyText(emptyDraft("n1"), "Hi {{1}} and {{3}} ok"),
      headerText: "{{1}} {{2}}",
    };
    expect(templateWarnings(draft)).toEqual([
      { path: "body.text", kind: "variablesNotSequential" },
      { path: "header.text", kind: "headerOneVariable" },
      { path: "header.example", kind: "exampleMissing" },
      { path: "body.examples.0", kind: "exampleMissing" },
      { path: "body.examples.1", kind: "exampleMissing" },
      { path: "body.examples.2", kind: "exampleMissing" },
    ]);
  });

  it("warns like the server: malformed or edge variables, footer and URL variables, mixed buttons", () => {
    const base = { ...emptyDraft("n1"), bodyExamples: ["x"] };
    expect(templateWarnings({ ...base, bodyText: "Hi {{ 1 }} ok" })).toContainEqual({
      path: "body.text",
      kind: "variableMalformed",
    });
    expect(templateWarnings({ ...base, bodyText: "{{1}} is your code" })).toEqual([
      { path: "body.text", kind: "bodyEdgeVariable" },
    ]);
    expect(templateWarnings({ ...base, bodyText: "Your code: {{1}} " })).toEqual([
      { path: "body.text", kind: "bodyEdgeVariable" },
    ]);
    const buttons: TemplateButton[] = [
      { type: "QUICK_REPLY", text: "Ok" },
      { type: "URL", text: "Go", url: "https://x.test/{{1}}" },
    ];
    expect(
      templateWarnings({ ...base, bodyText: "Hi {{1}} ok", footer: "By {{1}}", buttons }),
    ).toEqual([
      { path: "footer", kind: "footerNoVariables" },
      { path: "buttons.1.url", kind: "urlNoVariables" },
      { path: "buttons", kind: "buttonsMixed" },
    ]);
  });

  it("knows the fixed shape of authentication templates", () => {
    const auth = {
      ...emptyDraft("n1"),
      category: "AUTHENTICATION" as const,
      headerText: "Code",
      footer: "Bye",
      bodyText: "Your code is here",
      buttons: [{ type: "QUICK_REPLY" as const, text: "Ok" }],
    };
    expect(templateWarnings(auth).map((w) => w.kind)).toEqual([
      "authNoHeader",
      "authNoFooter",
      "authNoButtons",
      "authOneVariable",
    ]);
  });

  it("edits drafts and rejected templates, submits drafts only", () => {
    expect(isEditable("draft")).toBe(true);
    expect(isEditable("rejected")).toBe(true);
    expect(isEditable("pending")).toBe(false);
    expect(isEditable("approved")).toBe(false);
    expect(canSubmit("draft")).toBe(true);
    expect(canSubmit("rejected")).toBe(false);
    expect(canSubmit("paused")).toBe(false);
  });
});
