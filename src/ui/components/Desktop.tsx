/**
 * The agent desktop: the desk session's live state (desk/session: the snapshot, the
 * WebSocket, offers, status, held for the whole app) on screen, with the header, the
 * offers, the conversation list and the selected conversation wired to the API.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { CloseBody, MeView, SelectableStatus, SendContent } from "../../shared/protocol.ts";
import { ApiError, api, errorMessage, NetworkError } from "../api.ts";
import { DashboardView, deskSignal } from "../desk/dashboard/DashboardView.tsx";
import { MyHistoryView } from "../desk/history/MyHistoryView.tsx";
import { messagesApi } from "../desk/messages/api.ts";
import { OutboundView } from "../desk/outbound/OutboundView.tsx";
import { useDeskSession } from "../desk/session/session.tsx";
import { useDeskChrome } from "../desk/shortcuts/useDeskChrome.tsx";
import { useI18n } from "../i18n.ts";
import { LifecycleContext, useLifecycleActions } from "../lifecycle/actions.ts";
import type { DeskView } from "../lifecycle/DeskNav.tsx";
import { WaitingView } from "../lifecycle/WaitingView.tsx";
import { WaitQueueView } from "../lifecycle/WaitQueueView.tsx";
import { act, answered } from "../live.ts";
import { hasMissingMessages, highestMessageSeq, type OutboxEntry, unreadCount } from "../state.ts";
import { clearDrafts } from "./Composer.tsx";
import { ConversationList } from "./ConversationList.tsx";
import { ConversationPane, type HistoryStatus } from "./ConversationPane.tsx";
import { LoadError, Loading, Toasts, useToasts } from "./Feedback.tsx";
import { Header } from "./Header.tsx";
import { OfferStack } from "./OfferStack.tsx";

export function Desktop({ me, onSignedOut }: { me: MeView; onSignedOut: () => void }) {
  const { t } = useI18n();
  const session = useDeskSession();
  if (!session) throw new Error("The desk needs its session (DeskSessionProvider)");
  const { store, state, phase, connection, statusBusy, live, reload } = session;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [view, setView] = useState<DeskView>("conversations");
  const [history, setHistory] = useState<Readonly<Record<string, HistoryStatus>>>({});
  const [loggingOut, setLoggingOut] = useState(false);
  const { toasts, showToast, dismissToast } = useToasts();

  const describe = useCallback(
    (error: unknown) => errorMessage(error, t("app.networkError"), t("app.unexpectedError")),
    [t],
  );

  // ---- Loading and staying live (the session, which outlives this page) -----------

  const ready = phase.kind === "ready";

  // The session announces messages of conversations not on screen, and sends back here.
  const { setOnDesk, setOnScreen, pendingOpen, clearPendingOpen, takeOffer } = session;
  const setStatus = session.changeStatus;
  useEffect(() => {
    setOnDesk(true);
    return () => {
      setOnDesk(false);
      setOnScreen(null);
    };
  }, [setOnDesk, setOnScreen]);
  useEffect(
    () => setOnScreen(view === "conversations" ? selectedId : null),
    [setOnScreen, view, selectedId],
  );

  /** Shows one of my conversations in the pane, whatever the main area showed. */
  const openConversation = useCallback((conversationId: string) => {
    setSelectedId(conversationId);
    setView("conversations");
  }, []);

  // A conversation accepted (or a notification clicked) on another page opens here.
  useEffect(() => {
    if (!ready || pendingOpen === null) return;
    openConversation(pendingOpen);
    clearPendingOpen();
  }, [ready, pendingOpen, openConversation, clearPendingOpen]);

  const sendFrame = session.send;

  /** Fetches the messages of a conversation after the newest one we hold, and merges them. */
  const fetchNewer = useCallback(
    async (conversationId: string) => {
      const after = highestMessageSeq(store.getState(), conversationId);
      try {
        // From zero, only the newest page (earlier ones load on scrolling back).
        const { messages } =
          after === 0
            ? await messagesApi.latest(conversationId)
            : await api.messagesAfter(conversationId, after);
        store.dispatch({ type: "messages", conversationId, messages });
        // From zero, that was the newest page: the history is loaded as far as it shows.
        if (after === 0) setHistory((h) => ({ ...h, [conversationId]: { kind: "loaded" } }));
      } catch (error) {
        console.warn(`Could not fetch new messages of ${conversationId}`, error);
      }
    },
    [store],
  );

  // A snapshot carries conversations but not their messages. Fetch what we lack: for the
  // selected conversation always (nothing may be lost while we were away), for the others
  // when the server knows of newer messages (that is what feeds the unread badges).
  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;
  useEffect(() => {
    if (state.snapshotEpoch === 0) return;
    const current = store.getState();
    for (const conversation of current.conversations) {
      if (conversation.id === selectedRef.current || hasMissingMessages(current, conversation)) {
        void fetchNewer(conversation.id);
      }
    }
  }, [state.snapshotEpoch, store, fetchNewer]);

  const loadHistory = useCallback(
    async (conversationId: string) => {
      setHistory((h) => ({ ...h, [conversationId]: { kind: "loading" } }));
      try {
        // Only the newest page: the message area fetches earlier ones as the agent scrolls back.
        const { conversation, messages } = await messagesApi.latest(conversationId);
        store.dispatch({ type: "conversation", conversation });
        store.dispatch({ type: "messages", conversationId, messages });
        setHistory((h) => ({ ...h, [conversationId]: { kind: "loaded" } }));
      } catch (error) {
        setHistory((h) => ({
          ...h,
          [conversationId]: { kind: "failed", message: describe(error) },
        }));
      }
    },
    [store, describe],
  );

  const selectedHistory = selectedId ? history[selectedId] : undefined;
  useEffect(() => {
    if (selectedId && selectedHistory === undefined) void loadHistory(selectedId);
  }, [selectedId, selectedHistory, loadHistory]);

  // ---- Derived state ---------------------------------------------------------------

  const selected = state.conversations.find((c) => c.id === selectedId) ?? null;

  // A conversation closed or taken away elsewhere leaves the pane, and we forget its
  // history so it is fetched afresh should it ever come back.
  useEffect(() => {
    if (ready && selectedId && !selected) setSelectedId(null);
  }, [ready, selectedId, selected]);
  useEffect(() => {
    setHistory((h) => {
      const ids = new Set(state.conversations.map((c) => c.id));
      const stale = Object.keys(h).filter((id) => !ids.has(id));
      if (stale.length === 0) return h;
      const kept = { ...h };
      for (const id of stale) delete kept[id];
      return kept;
    });
  }, [state.conversations]);

  // What is on screen is read; remembered per agent so badges survive a reload.
  const selectedTopSeq = selected ? highestMessageSeq(state, selected.id) : 0;
  useEffect(() => {
    if (!selectedId || selectedTopSeq === 0) return;
    const markRead = () => {
      if (document.visibilityState === "visible") {
        store.dispatch({ type: "read", conversationId: selectedId, seq: selectedTopSeq });
        // Best effort: a failure only delays the customer's blue ticks.
        act(
          live(),
          { type: "read", conversationId: selectedId, upToSeq: selectedTopSeq },
          () => undefined,
          () => api.markRead(selectedId, selectedTopSeq),
        ).catch(() => undefined);
      }
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
  }, [selectedId, selectedTopSeq, store]);

  // ---- Actions ---------------------------------------------------------------------

  const changeStatus = useCallback(
    async (status: SelectableStatus) => {
      const failure = await setStatus(status);
      if (failure) showToast(failure, "error");
    },
    [setStatus, showToast],
  );

  // Taken: the session opens it here (as it would from another page).
  const acceptOffer = useCallback(
    async (conversationId: string) => {
      const problem = await takeOffer(conversationId);
      if (problem) showToast(problem.text, problem.tone);
    },
    [takeOffer, showToast],
  );

  const lifecycle = useLifecycleActions({
    myId: me.id,
    store,
    send: sendFrame,
    showToast,
    describe,
    open: openConversation,
  });

  // Shortcuts (Alt+↑/↓, Alt+1..9, Alt+A/C/R/W, ?), notifications, the title, the drawer.
  const chrome = useDeskChrome({ state, selectedId, open: openConversation, setView });

  /** What a toolbar send carries, by its outbox entry's clientId (the entry keeps its summary). */
  const outboxContent = useRef(new Map<string, SendContent>());

  const deliver = useCallback(
    async (entry: OutboxEntry) => {
      try {
        const content = outboxContent.current.get(entry.clientId);
        const message = content
          ? await api.sendContent(entry.conversationId, entry.clientId, content)
          : await act(
              live(),
              {
                type: "send",
                conversationId: entry.conversationId,
                clientId: entry.clientId,
                text: entry.text,
              },
              (result) => answered(result.message),
              () => api.sendText(entry.conversationId, entry.clientId, entry.text),
            );
        outboxContent.current.delete(entry.clientId);
        store.dispatch({
          type: "messages",
          conversationId: entry.conversationId,
          messages: [message],
        });
        store.dispatch({ type: "outbox_remove", clientId: entry.clientId });
      } catch (error) {
        // No answer or a server failure: it may have gone through, and a retry with the
        // same clientId is safe. A 4xx is a definite refusal.
        const uncertain =
          error instanceof NetworkError || (error instanceof ApiError && error.status >= 500);
        store.dispatch({
          type: "outbox_update",
          clientId: entry.clientId,
          patch: {
            state: "failed",
            error: describe(error),
            errorKind: uncertain ? "network" : "rejected",
          },
        });
      }
    },
    [store, describe],
  );

  const sendText = useCallback(
    (conversationId: string, text: string, content?: SendContent) => {
      const entry: OutboxEntry = {
        clientId: newClientId(),
        conversationId,
        text,
        createdAt: Date.now(),
        state: "sending",
        error: null,
        errorKind: null,
      };
      if (content) outboxContent.current.set(entry.clientId, content);
      store.dispatch({ type: "outbox_add", entry });
      void deliver(entry);
    },
    [store, deliver],
  );

  const retrySend = useCallback(
    (clientId: string) => {
      const entry = store.getState().outbox.find((e) => e.clientId === clientId);
      if (!entry) return;
      store.dispatch({
        type: "outbox_update",
        clientId,
        patch: { state: "sending", error: null, errorKind: null },
      });
      void deliver(entry);
    },
    [store, deliver],
  );

  /** Resends a message as a new one; the original's "resent" mark arrives live. */
  const resendMessage = useCallback(
    async (conversationId: string, messageId: string) => {
      const message = await api.resend(conversationId, messageId, newClientId());
      store.dispatch({ type: "messages", conversationId, messages: [message] });
    },
    [store],
  );

  const closeConversation = useCallback(
    async (conversationId: string, body: CloseBody) => {
      const conversation = await api.closeConversation(conversationId, body);
      // The server says closed; make sure it leaves the list even if it echoed otherwise.
      store.dispatch({ type: "conversation", conversation: { ...conversation, state: "closed" } });
      // The live event may have removed it first and the agent opened another meanwhile.
      setSelectedId((current) => (current === conversationId ? null : current));
      showToast(t("close.done"));
      // The button that opened the dialog is gone; put focus somewhere sensible.
      requestAnimationFrame(() => document.getElementById("conversations-heading")?.focus());
    },
    [store, showToast, t],
  );

  const logout = useCallback(async () => {
    setLoggingOut(true);
    try {
      await api.logout();
      clearDrafts();
      onSignedOut();
    } catch (error) {
      if (error instanceof NetworkError) {
        showToast(describe(error), "error");
        setLoggingOut(false);
      } else {
        onSignedOut(); // Any answer from the server means the session is unusable anyway.
      }
    }
  }, [onSignedOut, showToast, describe]);

  // ---- Rendering -------------------------------------------------------------------

  const unread = useCallback((id: string) => unreadCount(state, id), [state]);

  if (phase.kind === "loading") return <Loading fullPage />;
  if (phase.kind === "failed") {
    return (
      <main class="page-center">
        <LoadError
          message={t("app.loadFailed", { message: describe(phase.error) })}
          onRetry={reload}
        />
      </main>
    );
  }

  return (
    <LifecycleContext.Provider value={lifecycle.actions}>
      <div class="desktop">
        <Header
          agentName={state.agent?.name ?? me.name}
          agent={state.agent}
          conversations={state.conversations.length}
          offers={state.offers.length}
          statusBusy={statusBusy}
          connection={connection}
          onStatusChange={changeStatus}
          onLogout={logout}
          loggingOut={loggingOut}
          view={view}
          onView={setView}
          drawerOpen={chrome.drawerOpen}
          onToggleDrawer={chrome.toggleDrawer}
          unreadTotal={chrome.unreadTotal}
          onShowShortcuts={chrome.showShortcuts}
        />
        <ConversationList
          conversations={state.conversations}
          selectedId={selectedId}
          unread={unread}
          unreadSince={chrome.unreadSince}
          onSelect={chrome.select}
          drawerOpen={chrome.drawerOpen}
          onCloseDrawer={chrome.closeDrawer}
        />
        <main class="desktop-main">
          {view === "dashboard" ? (
            <DashboardView liveSignal={deskSignal(state)} />
          ) : view === "history" ? (
            <MyHistoryView />
          ) : view === "outbound" ? (
            <OutboundView
              myId={me.id}
              liveSignal={state.conversations.map((c) => c.id).join(",")}
              onOpen={(conversation) => {
                store.dispatch({ type: "conversation", conversation });
                openConversation(conversation.id);
              }}
            />
          ) : view === "waiting" ? (
            <WaitingView onPickUp={lifecycle.pickUp} />
          ) : view === "wait_queue" ? (
            <WaitQueueView onUnpause={lifecycle.unpause} />
          ) : selected ? (
            <ConversationPane
              key={selected.id}
              conversation={selected}
              history={history[selected.id]}
              messages={state.messages[selected.id] ?? []}
              outbox={state.outbox.filter((entry) => entry.conversationId === selected.id)}
              agentName={state.agent?.name ?? me.name}
              onRetryLoad={() => loadHistory(selected.id)}
              onSend={(text) => sendText(selected.id, text)}
              onSendContent={(content, summary) => sendText(selected.id, summary, content)}
              onRetrySend={retrySend}
              onResend={(messageId) => resendMessage(selected.id, messageId)}
              onClose={(body) => closeConversation(selected.id, body)}
              onMessages={(messages) =>
                store.dispatch({ type: "messages", conversationId: selected.id, messages })
              }
            />
          ) : (
            <p class="empty-state pane-empty">{t("conversation.select")}</p>
          )}
        </main>
        <OfferStack offers={state.offers} onAccept={acceptOffer} />
        <Toasts toasts={toasts} onDismiss={dismissToast} />
        {chrome.dialogs}
      </div>
    </LifecycleContext.Provider>
  );
}

/** A v4 UUID for a send's idempotency key; `randomUUID` needs a secure context. */
function newClientId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
