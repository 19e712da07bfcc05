import { describe, expect, it } from "vitest";
import { InviteUserBody, UpdateUserBody } from "../../../shared/admin.ts";
import { emptyUser, inviteBody, updateBody, userState, userToDraft } from "./drafts.ts";

describe("user drafts", () => {
  const draft = {
    ...emptyUser("it"),
    email: " Anna@Example.com ",
    name: " Anna ",
    memberships: [
      { ref: "s1", agentPriority: 8 },
      { ref: "", agentPriority: 5 },
    ],
  };

  it("builds an invitation the contract accepts, with chosen memberships only", () => {
    const body = inviteBody(draft);
    expect(body).toMatchObject({
      email: "Anna@Example.com",
      name: "Anna",
      role: "agent",
      language: "it",
      memberships: [{ skillsetId: "s1", agentPriority: 8 }],
    });
    expect(InviteUserBody.safeParse(body).success).toBe(true);
  });

  it("never sends the e-mail on update, always the version", () => {
    const body = updateBody(draft, 4);
    expect(body).not.toHaveProperty("email");
    expect(body.version).toBe(4);
    expect(UpdateUserBody.safeParse(body).success).toBe(true);
  });

  it("round-trips memberships from a view", () => {
    const view = {
      id: "u1",
      email: "a@b.co",
      name: "A",
      role: "admin" as const,
      isolated: true,
      maxConversations: 7,
      language: "en" as const,
      active: true,
      invitePending: false,
      memberships: [
        { skillsetId: "s9", agentPriority: 2, skillsetName: "X", numberId: "n", numberName: "N" },
      ],
      createdAt: 0,
      version: 1,
    };
    expect(userToDraft(view).memberships).toEqual([{ ref: "s9", agentPriority: 2 }]);
  });

  it("names the state: deactivated beats pending", () => {
    expect(userState({ active: true, invitePending: false })).toBe("active");
    expect(userState({ active: true, invitePending: true })).toBe("pending");
    expect(userState({ active: false, invitePending: true })).toBe("deactivated");
  });
});
