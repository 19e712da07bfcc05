import { describe, expect, it } from "vitest";
import type { CustomerField } from "../../shared/customer-import.ts";
import type { CustomerView } from "../../shared/customer-view.ts";
// The bodies carry the Worker's phone validation: fine in a test, kept out of the UI bundle.
import { CreateCustomerBody, UpdateCustomerBody } from "../../shared/customers.ts";
import {
  createBody,
  customerToDraft,
  emptyCustomer,
  propertyInput,
  propertyValue,
  updateBody,
} from "./drafts.ts";

function field(id: string, type: CustomerField["type"], modifiableByAgent = true): CustomerField {
  return {
    id,
    numberId: "n1",
    numberName: "Line",
    name: id,
    column: id,
    type,
    options: type === "choice" ? ["Gold", "Silver"] : [],
    modifiableByAgent,
    showInCustomerList: false,
  };
}

const fields = [
  field("tier", "choice"),
  field("spend", "number"),
  field("vip", "boolean"),
  field("since", "date", false),
  field("note", "text"),
];
const all = () => true;
const agent = (f: CustomerField) => f.modifiableByAgent;

const view: CustomerView = {
  id: "c1",
  phone: "+393331234567",
  whatsappUserId: null,
  name: "Marta",
  authorized: false,
  authorizedBy: null,
  authorizedAt: null,
  bypassBot: false,
  priority: 5,
  defaultSkillsetId: null,
  notes: null,
  externalId: "X-1",
  keepHistory: true,
  properties: { tier: "Gold", spend: 12.5, since: "2020-01-02" },
  createdAt: 1,
  updatedAt: 2,
  version: 3,
};

describe("property inputs", () => {
  it("round-trips values through the controls", () => {
    expect(propertyInput("number", 12.5)).toBe("12.5");
    expect(propertyInput("boolean", undefined)).toBe(false);
    expect(propertyInput("date", null)).toBe("");
    expect(propertyValue("number", " 12.5 ")).toBe(12.5);
    expect(propertyValue("number", "")).toBe(null);
    expect(propertyValue("number", "abc")).toBe("abc");
    expect(propertyValue("boolean", true)).toBe(true);
    expect(propertyValue("text", "  keep spaces ")).toBe("  keep spaces ");
    expect(propertyValue("choice", "")).toBe(null);
  });
});

describe("createBody", () => {
  it("builds a body the contract accepts, with only filled properties", () => {
    const draft = {
      ...emptyCustomer(),
      phone: " +39 333 123 4567 ",
      name: " Marta ",
      defaultSkillsetId: "s1",
      properties: { tier: "Silver", spend: "", vip: true, since: "2021-05-06" },
    };
    const body = createBody(draft, fields, all);
    expect(body).toMatchObject({
      phone: "+39 333 123 4567",
      name: "Marta",
      defaultSkillsetId: "s1",
      notes: null,
      properties: { tier: "Silver", vip: true, since: "2021-05-06" },
    });
    expect(CreateCustomerBody.safeParse(body).success).toBe(true);
  });

  it("leaves out properties an agent may not edit", () => {
    const draft = {
      ...emptyCustomer(),
      phone: "+393331234567",
      properties: { since: "2021-05-06" },
    };
    expect(createBody(draft, fields, agent).properties).toEqual({});
  });
});

describe("updateBody", () => {
  it("sends the version and nothing else when nothing changed", () => {
    expect(updateBody(customerToDraft(view, fields), view, fields, all)).toEqual({ version: 3 });
  });

  it("sends what changed, clearing emptied properties with null", () => {
    const draft = customerToDraft(view, fields);
    draft.name = "Marta Bianchi";
    draft.authorized = true;
    draft.externalId = "";
    draft.properties.spend = "";
    draft.properties.vip = true;
    const body = updateBody(draft, view, fields, all);
    expect(body).toEqual({
      version: 3,
      name: "Marta Bianchi",
      authorized: true,
      externalId: null,
      properties: { spend: null, vip: true },
    });
    expect(UpdateCustomerBody.safeParse(body).success).toBe(true);
  });

  it("never sends a property the agent may not edit", () => {
    const draft = customerToDraft(view, fields);
    draft.properties.since = "1999-01-01";
    draft.properties.tier = "Silver";
    expect(updateBody(draft, view, fields, agent)).toEqual({
      version: 3,
      properties: { tier: "Silver" },
    });
  });
});
