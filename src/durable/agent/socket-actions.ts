/**
 * A desktop's actions over its WebSocket — send a text reply, accept an offer,
 * report what was read — doing what their HTTP routes do
 * (src/worker/api/desktop.ts) and answered by a `result` frame carrying the
 * action's `ref`. The socket was authenticated when it opened and is closed
 * when its session ends (desktops.ts), so an action costs no Worker request
 * and no D1 session lookup; refusals are the API's own (shared/refusals.ts),
 * so they read the same whichever way the action came.
 */
import type { ActionResult, ClientFrame, MessageView } from "../../shared/protocol";
import {
  ACCEPT_REFUSALS,
  type PlainRefusal,
  refusalIn,
  SEND_REFUSALS,
} from "../../shared/refusals";
import type { AcceptResult } from "../contracts";
import type { Env } from "../env";
import type { Profile } from "./profile";

/** The frames that are actions (each answered by a `result`). */
export type SocketAction = Extract<ClientFrame, { ref: string }>;

/** What the actions need of the actor. */
export interface SocketActionDeps {
  env: Env;
  /** The cached profile (null once deactivated). */
  profile: () => Profile | null;
  /** Whether the conversation is assigned to this agent. */
  seated: (conversationId: string) => boolean;
  accept: (tenantId: string, conversationId: string) => Promise<AcceptResult>;
  /** Shows a message of a seated conversation on the desktops (as a notify from it would). */
  show: (conversationId: string, message: MessageView) => void;
}

function refused(ref: string, name: PlainRefusal, language: "en" | "it"): ActionResult {
  const { status, code, message } = refusalIn(language, name);
  return { type: "result", ref, error: { status, code, message } };
}

/** Runs `action` for the desktop of `tenantId`; never throws (a failure is a 503 result). */
export async function runSocketAction(
  deps: SocketActionDeps,
  tenantId: string,
  action: SocketAction,
  language: "en" | "it" = "en",
): Promise<ActionResult> {
  const { ref } = action;
  const profile = deps.profile();
  if (!profile || profile.tenantId !== tenantId) return refused(ref, "notAnAgent", language);
  try {
    switch (action.type) {
      case "send": {
        if (!deps.seated(action.conversationId))
          return refused(ref, "conversationNotYours", language);
        const result = await deps.env.CONVERSATION.getByName(action.conversationId).sendText(
          tenantId,
          { id: profile.id, name: profile.name },
          action.clientId,
          action.text,
          undefined,
          // Shown here rather than by a call back from the conversation.
          true,
        );
        if (!result.ok) return refused(ref, SEND_REFUSALS[result.code], language);
        deps.show(action.conversationId, result.message);
        return { type: "result", ref, message: result.message };
      }
      case "accept": {
        const result = await deps.accept(tenantId, action.conversationId);
        if (!result.ok) return refused(ref, ACCEPT_REFUSALS[result.code], language);
        return { type: "result", ref, conversation: result.conversation };
      }
      case "read": {
        if (!deps.seated(action.conversationId))
          return refused(ref, "conversationNotYours", language);
        const result = await deps.env.CONVERSATION.getByName(action.conversationId).markRead(
          tenantId,
          profile.id,
          action.upToSeq,
        );
        return result.ok ? { type: "result", ref } : refused(ref, "conversationNotYours", language);
      }
    }
  } catch (err) {
    // The desktop may repeat the action over HTTP: a send is idempotent by its clientId.
    console.error(`socket action ${action.type} failed`, err);
    return refused(ref, "unavailable", language);
  }
}
