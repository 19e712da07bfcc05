/**
 * The desk's live session, held for the whole signed-in app and not only the desk page:
 * the snapshot, the WebSocket to the agent's actor, status changes, accepting offers and
 * the notifications. So an agent (or an admin who takes conversations) who opens the
 * customers or the administration still gets offers, alerts and the header's status
 * there (`DeskAway`), and does not go RONA unawares. The desk page (`Desktop`) reads the
 * same session; accepting an offer elsewhere brings the agent back to the desk with the
 * conversation open (`pendingOpen`).
 */
import type { ComponentChildren } from "preact";
import { createContext } from "preact";
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ClientFrame, MeView, SelectableStatus } from "../../../shared/protocol.ts";
import { isUnder } from "../../admin/kit/route.ts";
import { navigate, useRoute } from "../../admin/kit/router.tsx";
import { ApiError, api, errorMessage } from "../../api.ts";
import { offerAcceptButton } from "../../components/OfferStack.tsx";
import { useI18n } from "../../i18n.ts";
import { act, answered, type ConnectionState, LiveConnection, socketUrl } from "../../live.ts";
import type { DesktopState } from "../../state.ts";
import { createDesktopStore, type DesktopStore, useDesktopState } from "../../store.ts";
import { useDeskNotifications } from "../notify/useDeskNotifications.ts";

export type DeskPhase =
  | { kind: "loading" }
  | { kind: "ready" }
  | { kind: "failed"; error: unknown };

/** What to tell the agent after taking an offer did not open it (gone meanwhile, failed). */
export interface TakeProblem {
  text: string;
  tone: "info" | "error";
}

export interface DeskSession {
  me: MeView;
  store: DesktopStore;
  state: DesktopState;
  phase: DeskPhase;
  connection: ConnectionState;
  /** Loads the snapshot again (after a failure). */
  reload(): Promise<void>;
  /** Sends a frame on the live connection; false without an open socket. */
  send(frame: ClientFrame): boolean;
  live(): LiveConnection | null;
  statusBusy: boolean;
  /** Changes my status; resolves to an error message when refused or failed. */
  changeStatus(status: SelectableStatus): Promise<string | null>;
  /**
   * Accepts an offer (over the socket, else HTTP) and shows the conversation on the desk
   * page (going there first when away); resolves to what to tell the agent otherwise.
   */
  takeOffer(conversationId: string): Promise<TakeProblem | null>;
  /** A conversation to show once the desk page is on screen (accepted or clicked elsewhere). */
  pendingOpen: string | null;
  /** Shows a conversation on the desk page: opens it there, or goes there first. */
  openOnDesk(conversationId: string): void;
  /** The desk page took `pendingOpen`. */
  clearPendingOpen(): void;
  /** The desk page tells which conversation is on screen (null: none, or away from it). */
  setOnScreen(conversationId: string | null): void;
  /** Whether the desk page is shown (else the agent is on another page of the app). */
  setOnDesk(onDesk: boolean): void;
}

const DeskSessionContext = createContext<DeskSession | null>(null);

/** The signed-in user's desk session; null for the operator (no desk). */
export function useDeskSession(): DeskSession | null {
  return useContext(DeskSessionContext);
}

/** Holds the desk session for `me` while signed in, whatever page shows. */
export function DeskSessionProvider({ me, children }: { me: MeView; children: ComponentChildren }) {
  const session = useDeskSessionState(me);
  return <DeskSessionContext.Provider value={session}>{children}</DeskSessionContext.Provider>;
}

function useDeskSessionState(me: MeView): DeskSession {
  const { t, language } = useI18n();
  const store = useMemo(() => createDesktopStore(loadReadSeq(me.id)), [me.id]);
  const state = useDesktopState(store);
  const [phase, setPhase] = useState<DeskPhase>({ kind: "loading" });
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [statusBusy, setStatusBusy] = useState(false);
  const [pendingOpen, setPendingOpen] = useState<string | null>(null);
  const [onScreen, setOnScreen] = useState<string | null>(null);
  const onDesk = useRef(false);

  const describe = useCallback(
    (error: unknown) => errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
    [t],
  );

  const reload = useCallback(async () => {
    setPhase({ kind: "loading" });
    try {
      const snapshot = await api.desktop();
      store.dispatch({ type: "event", event: { type: "snapshot", snapshot } });
      setPhase({ kind: "ready" });
    } catch (error) {
      setPhase({ kind: "failed", error });
    }
  }, [store]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const ready = phase.kind === "ready";
  const liveRef = useRef<LiveConnection | null>(null);
  useEffect(() => {
    if (!ready) return;
    const live = new LiveConnection({
      // The socket's refusals come in the desktop's language (a switch reconnects).
      url: socketUrl(`/api/ws?lang=${language}`),
      getLastSeq: () => store.getState().seq,
      onEvent: (event) => store.dispatch({ type: "event", event }),
      onStateChange: setConnection,
      // A 401 here also sends the app back to Login through the API's handler.
      checkSession: () =>
        api.me().then(
          () => true,
          (error: unknown) => !(error instanceof ApiError && error.status === 401),
        ),
    });
    live.start();
    liveRef.current = live;
    return () => {
      liveRef.current = null;
      live.stop();
    };
  }, [ready, store, language]);

  useEffect(() => saveReadSeq(me.id, state.readSeq), [me.id, state.readSeq]);

  const changeStatus = useCallback(
    async (status: SelectableStatus) => {
      setStatusBusy(true);
      try {
        store.dispatch({ type: "agent", agent: await api.setStatus(status) });
        return null;
      } catch (error) {
        return t("status.changeFailed", { message: describe(error) });
      } finally {
        setStatusBusy(false);
      }
    },
    [store, t, describe],
  );

  const send = useCallback((frame: ClientFrame) => liveRef.current?.send(frame) ?? false, []);
  const live = useCallback(() => liveRef.current, []);
  const clearPendingOpen = useCallback(() => setPendingOpen(null), []);
  const setOnDesk = useCallback((value: boolean) => {
    onDesk.current = value;
  }, []);

  const openOnDesk = useCallback((conversationId: string) => {
    setPendingOpen(conversationId);
    if (!onDesk.current) navigate("/");
  }, []);

  const takeOffer = useCallback(
    async (conversationId: string): Promise<TakeProblem | null> => {
      try {
        const conversation = await act(
          liveRef.current,
          { type: "accept", conversationId },
          (result) => answered(result.conversation),
          () => api.acceptOffer(conversationId),
        );
        store.dispatch({ type: "conversation", conversation });
        store.dispatch({ type: "offer_removed", conversationId });
        openOnDesk(conversationId);
        return null;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          store.dispatch({ type: "offer_removed", conversationId });
          return { text: t("offer.gone"), tone: "info" };
        }
        return { text: t("offer.failed", { message: describe(error) }), tone: "error" };
      }
    },
    [store, t, describe, openOnDesk],
  );

  /** A notification's "show this offer": the focus on its Accept, wherever the stack is. */
  const showOffer = useCallback((conversationId: string) => {
    const button = offerAcceptButton(conversationId);
    button?.scrollIntoView({ block: "nearest", inline: "nearest" });
    button?.focus();
  }, []);

  // Offers and customer messages are announced wherever the agent is in the app.
  const { path } = useRoute();
  useDeskNotifications({
    state,
    ready,
    agentId: me.id,
    selectedId: onScreen,
    t,
    baseTitle: t(
      isUnder(path, "/customers")
        ? "customers.title"
        : isUnder(path, "/admin")
          ? "admin.title"
          : "app.title",
    ),
    onShowOffer: showOffer,
    onOpen: openOnDesk,
  });

  // A new value at each render: the provider renders when the session's state changes.
  return {
    me,
    store,
    state,
    phase,
    connection,
    reload,
    send,
    live,
    statusBusy,
    changeStatus,
    takeOffer,
    pendingOpen,
    openOnDesk,
    clearPendingOpen,
    setOnScreen,
    setOnDesk,
  };
}

const readSeqKey = (agentId: string) => `parley.readSeq.${agentId}`;

function loadReadSeq(agentId: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(readSeqKey(agentId)) ?? "{}");
    if (typeof parsed !== "object" || parsed === null) return {};
    const result: Record<string, number> = {};
    for (const [id, seq] of Object.entries(parsed)) if (typeof seq === "number") result[id] = seq;
    return result;
  } catch {
    return {};
  }
}

function saveReadSeq(agentId: string, readSeq: Readonly<Record<string, number>>): void {
  try {
    localStorage.setItem(readSeqKey(agentId), JSON.stringify(readSeq));
  } catch {
    // Unread badges just start from zero next time.
  }
}
