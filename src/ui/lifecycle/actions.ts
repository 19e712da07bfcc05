/**
 * What the desktop does for the lifecycle: transfer, invite, leave, pick up, unpause and
 * "typing" notices. Each call folds the server's answer into the store at once (the
 * matching server event follows and changes nothing), announces success in a toast,
 * and moves the selection where the agent expects it.
 */
import { createContext } from "preact";
import { useCallback, useContext, useMemo } from "preact/hooks";
import type { ClientFrame, ConferenceBody, TransferBody } from "../../shared/protocol.ts";
import { ApiError } from "../api.ts";
import type { Toast } from "../components/Feedback.tsx";
import { useI18n } from "../i18n.ts";
import type { DesktopStore } from "../store.ts";
import { lifecycleApi } from "./api.ts";
import { takeRefusalKey } from "./labels.ts";
import { createTypingThrottle } from "./typing.ts";

/** The lifecycle actions the conversation pane and the composer reach through context. */
export interface LifecycleActions {
  /** The signed-in agent, to tell an owner from a conference guest. */
  myId: string;
  /** Transfers; rejects with the error for the dialog to show. */
  transfer(
    conversationId: string,
    body: TransferBody,
    targetName: string | null,
    unavailable?: boolean,
  ): Promise<void>;
  /** Invites into a conference; rejects with the error for the dialog to show. */
  invite(conversationId: string, body: ConferenceBody): Promise<void>;
  /** A guest leaves the conference; failures are toasted. */
  leave(conversationId: string): Promise<void>;
  /** The agent typed in `conversationId`; throttled, best effort. */
  typing(conversationId: string): void;
}

/** Provided by the desktop; null elsewhere (the composer then sends no typing notices). */
export const LifecycleContext = createContext<LifecycleActions | null>(null);

/** The desktop's lifecycle actions, or null outside a desktop. */
export function useLifecycle(): LifecycleActions | null {
  return useContext(LifecycleContext);
}

interface Options {
  myId: string;
  store: DesktopStore;
  /** Sends a frame over the live WebSocket; false when it is not open. */
  send: (frame: ClientFrame) => boolean;
  showToast: (text: string, tone?: Toast["tone"]) => void;
  describe: (error: unknown) => string;
  /** Shows a conversation of mine in the pane (leaving any other view). */
  open: (conversationId: string) => void;
}

/** The desktop's lifecycle actions, plus the two the waiting lists use. */
export function useLifecycleActions({ myId, store, send, showToast, describe, open }: Options): {
  actions: LifecycleActions;
  pickUp: (conversationId: string) => Promise<boolean>;
  unpause: (conversationId: string) => Promise<boolean>;
} {
  const { t } = useI18n();
  const throttle = useMemo(() => createTypingThrottle(), []);

  const actions = useMemo<LifecycleActions>(
    () => ({
      myId,
      async transfer(conversationId, body, targetName, unavailable = false) {
        const conversation = await lifecycleApi.transfer(conversationId, body);
        store.dispatch({ type: "conversation", conversation });
        const name = targetName ?? "";
        showToast(
          body.to === "agent"
            ? unavailable
              ? t(
                  body.mode === "exclusive"
                    ? "transfer.doneAgentWaits"
                    : "transfer.doneAgentFallsBack",
                  { name },
                )
              : t("transfer.doneAgent", { name })
            : body.to === "skillset"
              ? t("transfer.doneSkillset", { name })
              : body.kind === "personal"
                ? t("transfer.doneWaitQueue")
                : t("transfer.donePublic"),
        );
        focusList();
      },
      async invite(conversationId, body) {
        const { invited } = await lifecycleApi.conference(conversationId, body);
        showToast(t("conference.sent", { name: invited.name }));
      },
      async leave(conversationId) {
        try {
          await lifecycleApi.leave(conversationId);
        } catch (error) {
          showToast(t("conference.leaveFailed", { message: describe(error) }), "error");
          return;
        }
        const conversation = store.getState().conversations.find((c) => c.id === conversationId);
        if (conversation) {
          const participants = conversation.participants.filter((p) => p.id !== myId);
          store.dispatch({ type: "conversation", conversation: { ...conversation, participants } });
        }
        showToast(t("conference.left"));
        focusList();
      },
      typing(conversationId) {
        if (!throttle.shouldSend(conversationId, Date.now())) return;
        // The socket is the cheap way; without it, HTTP. Best effort either way: a lost
        // notice only lets a delayed welcome go out.
        if (!send({ type: "typing", conversationId })) {
          lifecycleApi.typing(conversationId).catch(() => undefined);
        }
      },
    }),
    [myId, store, send, showToast, describe, t, throttle],
  );

  /** A refusal in the agent's language when its code is known, else the server's message. */
  const refusal = useCallback(
    (error: unknown) => {
      const key = error instanceof ApiError ? takeRefusalKey(error.code) : null;
      return key ? t(key) : describe(error);
    },
    [t, describe],
  );

  const pickUp = useCallback(
    async (conversationId: string) => {
      try {
        const conversation = await lifecycleApi.pickUp(conversationId);
        store.dispatch({ type: "conversation", conversation });
        open(conversationId);
        return true;
      } catch (error) {
        showToast(t("waiting.pickUpFailed", { message: refusal(error) }), "error");
        return false;
      }
    },
    [store, open, showToast, refusal, t],
  );

  const unpause = useCallback(
    async (conversationId: string) => {
      try {
        const conversation = await lifecycleApi.unpause(conversationId);
        store.dispatch({ type: "conversation", conversation });
        open(conversationId);
        return true;
      } catch (error) {
        showToast(t("waitQueue.unpauseFailed", { message: refusal(error) }), "error");
        return false;
      }
    },
    [store, open, showToast, refusal, t],
  );

  return { actions, pickUp, unpause };
}

/** The pane's buttons are gone with the conversation: put focus somewhere sensible. */
function focusList(): void {
  requestAnimationFrame(() => document.getElementById("conversations-heading")?.focus());
}
