import { describe, expect, it } from "vitest";
import { CreateSkillsetBody, UpdateSkillsetBody } from "../../../shared/admin.ts";
import { createSkillsetBody, emptySkillset, updateSkillsetBody } from "./drafts.ts";

describe("skillset drafts", () => {
  const draft = {
    ...emptySkillset("n1"),
    name: " Billing ",
    priority: 8,
    botLabel: "  ",
    members: [{ ref: "u1", agentPriority: 9 }],
  };

  it("creates on the number it was preset to; a blank bot label is null", () => {
    const body = createSkillsetBody(draft);
    expect(body).toMatchObject({
      numberId: "n1",
      name: "Billing",
      botLabel: null,
      members: [{ userId: "u1", agentPriority: 9 }],
    });
    expect(CreateSkillsetBody.safeParse(body).success).toBe(true);
  });

  it("updates without moving the skillset to another number", () => {
    const body = updateSkillsetBody({ ...draft, botLabel: "Bills" }, 3);
    expect(body).not.toHaveProperty("numberId");
    expect(body).toMatchObject({ version: 3, botLabel: "Bills" });
    expect(UpdateSkillsetBody.safeParse(body).success).toBe(true);
  });
});
