/**
 * The desktop's state and the pure reducer that folds server events and HTTP results
 * into it. No I/O here: `live.ts` and the components feed it, tests drive it directly.
 *
 * Two sequences are at play: `DesktopState.seq` is the agent actor's event counter
 * (one per pushed event, used to resume the WebSocket), while `MessageView.seq` is a
 * message's position inside its conversation (used to fetch missed messages).
 */

import { assertNever } from "../shared/assert-never";
import type {
  AgentView,
  ConversationView,
  DesktopSnapshot,
  MessageView,
  OfferView,
  ServerEvent,
  Tick,
} from "../shared/protocol.ts";

/** A message the agent sent that the server has not confirmed yet (optimistic). */
export interface OutboxEntry {
  /** Idempotency key sent with every attempt, so a retry never sends twice. */
  clientId: string;
  conversationId: string;
  text: string;
  createdAt: number;
  state: "sending" | "failed";
  /** Shown on a failed entry. */
  error: string | null;
  /** "network": the request may have reached the server; "rejected": it certainly did not send. */
  errorKind: "network" | "rejected" | null;
}

export interface DesktopState {
  /** Seq of the last server event applied; null before the first snapshot. */
  seq: number | null;
  /** Counts snapshots applied, so views can refetch what a snapshot does not carry. */
  snapshotEpoch: number;
  agent: AgentView | null;
  /** Pending offers, oldest first. */
  offers: readonly OfferView[];
  /** My conversations, oldest first (a stable order keeps Alt+N shortcuts stable). */
  conversations: readonly ConversationView[];
  /** Messages we hold per conversation, ordered by `seq`; may be only the recent ones. */
  messages: Readonly<Record<string, readonly MessageView[]>>;
  outbox: readonly OutboxEntry[];
  /** Per conversation, the highest message seq the agent has seen. */
  readSeq: Readonly<Record<string, number>>;
}

/** Everything that can change the state: server events and the results of our own calls. */
export type DesktopAction =
  | { type: "event"; event: ServerEvent }
  | { type: "agent"; agent: AgentView }
  | { type: "conversation"; conversation: ConversationView }
  | { type: "messages"; conversationId: string; messages: readonly MessageView[] }
  | { type: "offer_removed"; conversationId: string }
  | { type: "outbox_add"; entry: OutboxEntry }
  | {
      type: "outbox_update";
      clientId: string;
      patch: Partial<Pick<OutboxEntry, "state" | "error" | "errorKind">>;
    }
  | { type: "outbox_remove"; clientId: string }
  | { type: "read"; conversationId: string; seq: number };

/** The state before anything is loaded; `readSeq` may come from local storage. */
export function initialState(readSeq: Record<string, number> = {}): DesktopState {
  return {
    seq: null,
    snapshotEpoch: 0,
    agent: null,
    offers: [],
    conversations: [],
    messages: {},
    outbox: [],
    readSeq,
  };
}

/** Applies any action. Pure; returns the same object when nothing changed. */
export function reduce(state: DesktopState, action: DesktopAction): DesktopState {
  switch (action.type) {
    case "event":
      return applyEvent(state, action.event);
    case "agent":
      return { ...state, agent: action.agent };
    case "conversation":
      return upsertConversation(state, action.conversation);
    case "messages":
      return mergeMessages(state, action.conversationId, action.messages);
    case "offer_removed":
      return removeOffer(state, action.conversationId);
    case "outbox_add":
      return { ...state, outbox: [...state.outbox, action.entry] };
    case "outbox_update":
      return {
        ...state,
        outbox: state.outbox.map((entry) =>
          entry.clientId === action.clientId ? { ...entry, ...action.patch } : entry,
        ),
      };
    case "outbox_remove": {
      const outbox = state.outbox.filter((entry) => entry.clientId !== action.clientId);
      return outbox.length === state.outbox.length ? state : { ...state, outbox };
    }
    case "read": {
      const current = state.readSeq[action.conversationId] ?? 0;
      if (action.seq <= current) return state;
      return { ...state, readSeq: { ...state.readSeq, [action.conversationId]: action.seq } };
    }
    default:
      return assertNever(action);
  }
}

/**
 * Folds one server event into the state. Sequenced events at or below the last applied
 * `seq` are duplicates (replays after a resume) and are ignored; a snapshot always wins.
 */
export function applyEvent(state: DesktopState, event: ServerEvent): DesktopState {
  switch (event.type) {
    case "snapshot":
      return applySnapshot(state, event.snapshot);
    case "pong":
    case "error":
    case "result":
      return state;
    default:
      break;
  }
  if (state.seq !== null && event.seq <= state.seq) return state;
  const next = applySequenced(state, event);
  return { ...next, seq: event.seq };
}

function applySequenced(
  state: DesktopState,
  event: Exclude<ServerEvent, { type: "snapshot" | "pong" | "error" | "result" }>,
): DesktopState {
  switch (event.type) {
    case "agent":
      return { ...state, agent: event.agent };
    case "offer": {
      const others = state.offers.filter((o) => o.conversationId !== event.offer.conversationId);
      const offers = [...others, event.offer].sort((a, b) => a.offeredAt - b.offeredAt);
      return { ...state, offers };
    }
    case "offer_withdrawn":
      return removeOffer(state, event.conversationId);
    case "conversation":
      return upsertConversation(state, event.conversation);
    case "message":
      return mergeMessages(state, event.conversationId, [event.message]);
    default:
      return assertNever(event);
  }
}

/** Replaces agent, offers and conversations; keeps what we hold for conversations still mine. */
function applySnapshot(state: DesktopState, snapshot: DesktopSnapshot): DesktopState {
  const ids = new Set(snapshot.conversations.map((c) => c.id));
  return {
    seq: snapshot.seq,
    snapshotEpoch: state.snapshotEpoch + 1,
    agent: snapshot.agent,
    offers: [...snapshot.offers].sort((a, b) => a.offeredAt - b.offeredAt),
    conversations: [...snapshot.conversations].sort(byCreatedAt),
    messages: pick(state.messages, ids),
    outbox: state.outbox.filter((entry) => ids.has(entry.conversationId)),
    readSeq: pick(state.readSeq, ids),
  };
}

/**
 * Whether a conversation belongs in "my conversations": assigned to me, or to someone who
 * invited me into it (a conference guest). Closed, requeued, parked or transferred-away
 * conversations leave the list.
 */
export function isMine(state: DesktopState, conversation: ConversationView): boolean {
  if (conversation.state !== "assigned") return false;
  const me = state.agent?.id;
  if (conversation.agentId === null || me === undefined || conversation.agentId === me) return true;
  return conversation.participants.some((participant) => participant.id === me);
}

/** Whether I am in a conversation as a conference guest (not its owner). */
export function isGuest(conversation: ConversationView, myId: string): boolean {
  return (
    conversation.agentId !== null &&
    conversation.agentId !== myId &&
    conversation.participants.some((participant) => participant.id === myId)
  );
}

/**
 * What an offer card is titled: a new conversation, a transfer from a colleague or an
 * invitation to their conference (the generic title when the colleague is unnamed).
 */
export function offerHeading(offer: OfferView): OfferHeading {
  const name = offer.fromAgentName?.trim();
  switch (offer.kind) {
    case "new":
      return { key: "offer.heading" };
    case "transfer":
      return name ? { key: "offer.transferFrom", name } : { key: "offer.transfer" };
    case "conference":
      return name ? { key: "offer.conferenceFrom", name } : { key: "offer.conference" };
    default:
      return assertNever(offer.kind);
  }
}

/** The dictionary key of an offer's title and, when it names a colleague, their name. */
export type OfferHeading =
  | { key: "offer.heading" | "offer.transfer" | "offer.conference"; name?: undefined }
  | { key: "offer.transferFrom" | "offer.conferenceFrom"; name: string };

function upsertConversation(state: DesktopState, conversation: ConversationView): DesktopState {
  const index = state.conversations.findIndex((c) => c.id === conversation.id);
  if (!isMine(state, conversation)) {
    if (index === -1) return state;
    const id = conversation.id;
    const keep = new Set(state.conversations.filter((c) => c.id !== id).map((c) => c.id));
    return {
      ...state,
      conversations: state.conversations.filter((c) => c.id !== id),
      messages: pick(state.messages, keep),
      outbox: state.outbox.filter((entry) => entry.conversationId !== id),
      readSeq: pick(state.readSeq, keep),
      offers: state.offers.filter((o) => o.conversationId !== id),
    };
  }
  const conversations =
    index === -1
      ? [...state.conversations, conversation].sort(byCreatedAt)
      : state.conversations.map((c, i) => (i === index ? conversation : c));
  // Accepting turns an offer into a conversation: its card must go even if the
  // withdrawal event is still on its way.
  return { ...removeOffer(state, conversation.id), conversations };
}

function removeOffer(state: DesktopState, conversationId: string): DesktopState {
  const offers = state.offers.filter((o) => o.conversationId !== conversationId);
  return offers.length === state.offers.length ? state : { ...state, offers };
}

/**
 * Upserts messages by id into one conversation, keeping them ordered by seq. A known
 * message only ever moves its tick forward. A newly seen outbound message replaces the
 * optimistic outbox entry with the same text.
 */
function mergeMessages(
  state: DesktopState,
  conversationId: string,
  incoming: readonly MessageView[],
): DesktopState {
  if (incoming.length === 0) return state;
  const list = [...(state.messages[conversationId] ?? [])];
  let outbox = state.outbox;
  let changed = false;
  let lastCustomerMessageAt: number | null = null;
  let lastSeq = 0;
  for (const message of incoming) {
    lastSeq = Math.max(lastSeq, message.seq);
    if (message.direction === "in") {
      lastCustomerMessageAt = Math.max(lastCustomerMessageAt ?? 0, message.createdAt);
    }
    const index = list.findIndex((m) => m.id === message.id);
    if (index === -1) {
      list.push(message);
      changed = true;
      if (message.direction === "out") outbox = claimOutbox(outbox, conversationId, message.text);
      continue;
    }
    const existing = list[index]!;
    const merged = mergeMessage(existing, message);
    if (merged !== existing) {
      list[index] = merged;
      changed = true;
    }
  }
  let conversations = state.conversations;
  const conversation = conversations.find((c) => c.id === conversationId);
  if (conversation) {
    const newerCustomerMessage =
      lastCustomerMessageAt !== null &&
      (conversation.lastCustomerMessageAt === null ||
        lastCustomerMessageAt > conversation.lastCustomerMessageAt);
    if (newerCustomerMessage || lastSeq > conversation.lastSeq) {
      const updated: ConversationView = {
        ...conversation,
        lastSeq: Math.max(conversation.lastSeq, lastSeq),
        lastCustomerMessageAt: newerCustomerMessage
          ? lastCustomerMessageAt
          : conversation.lastCustomerMessageAt,
      };
      conversations = conversations.map((c) => (c.id === conversationId ? updated : c));
    }
  }
  if (!changed && conversations === state.conversations) return state;
  list.sort((a, b) => a.seq - b.seq || a.createdAt - b.createdAt);
  return {
    ...state,
    conversations,
    outbox,
    messages: changed ? { ...state.messages, [conversationId]: list } : state.messages,
  };
}

/** A later copy of a known message: take it, except that the tick never moves back. */
function mergeMessage(existing: MessageView, incoming: MessageView): MessageView {
  const status = forwardTick(existing.status, incoming.status);
  if (status === existing.status && status !== incoming.status) {
    // A stale status update: nothing else about a message changes, keep what we have.
    return existing;
  }
  if (sameMessage(existing, incoming)) return existing;
  return {
    ...incoming,
    status,
    error: status === incoming.status ? incoming.error : existing.error,
  };
}

function sameMessage(a: MessageView, b: MessageView): boolean {
  return (
    a.status === b.status &&
    a.seq === b.seq &&
    a.text === b.text &&
    a.error?.code === b.error?.code &&
    a.error?.title === b.error?.title &&
    a.resentAs === b.resentAs &&
    // A file that finished downloading, a quote resolved, a tick's time: same id, new content.
    JSON.stringify([a.content, a.replyTo, a.statusTimes]) ===
      JSON.stringify([b.content, b.replyTo, b.statusTimes])
  );
}

const TICK_RANK: Record<Tick, number> = {
  pending: 0,
  // No answer and no status yet: any status from Meta still moves it on.
  unconfirmed: 0.5,
  sent: 1,
  delivered: 2,
  read: 3,
  played: 3,
  failed: 4,
};

/**
 * The tick to show after an update: ticks only move forward (pending < sent < delivered
 * < read = played) and `failed` is terminal, since Meta's status webhooks arrive out of order.
 */
export function forwardTick(current: Tick | null, next: Tick | null): Tick | null {
  if (current === null) return next;
  if (next === null || current === "failed") return current;
  return TICK_RANK[next] > TICK_RANK[current] ? next : current;
}

/** Drops the first optimistic entry the confirmed message stands for. */
function claimOutbox(
  outbox: readonly OutboxEntry[],
  conversationId: string,
  text: string,
): readonly OutboxEntry[] {
  const index = outbox.findIndex(
    (entry) =>
      entry.conversationId === conversationId &&
      entry.text.trim() === text.trim() &&
      // A rejected send never reached WhatsApp, so no confirmed message stands for it.
      (entry.state === "sending" || entry.errorKind === "network"),
  );
  return index === -1 ? outbox : outbox.filter((_, i) => i !== index);
}

/** Highest message seq we hold for a conversation (0 when none). */
export function highestMessageSeq(state: DesktopState, conversationId: string): number {
  const list = state.messages[conversationId];
  return list && list.length > 0 ? list[list.length - 1]!.seq : 0;
}

/** Customer messages after what the agent has seen. */
export function unreadCount(state: DesktopState, conversationId: string): number {
  const read = state.readSeq[conversationId] ?? 0;
  const list = state.messages[conversationId] ?? [];
  let count = 0;
  for (const message of list) if (message.direction === "in" && message.seq > read) count++;
  return count;
}

/** Whether the server knows of messages we have not fetched yet. */
export function hasMissingMessages(state: DesktopState, conversation: ConversationView): boolean {
  return conversation.lastSeq > highestMessageSeq(state, conversation.id);
}

function byCreatedAt(a: ConversationView, b: ConversationView): number {
  return a.createdAt - b.createdAt;
}

function pick<T>(record: Readonly<Record<string, T>>, keep: Set<string>): Record<string, T> {
  const result: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) if (keep.has(key)) result[key] = value;
  return result;
}
