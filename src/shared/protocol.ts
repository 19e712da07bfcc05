/**
 * The one protocol shared by the Worker, the actors and the Preact desktop:
 * API payloads and WebSocket frames, as zod schemas with their inferred types,
 * so the two ends cannot drift. Times are Unix epoch milliseconds.
 */
import { z } from "zod";
import { MessageContent, ReplyTo, StatusTimes } from "./message-content";

export const Language = z.enum(["en", "it"]);
export type Language = z.infer<typeof Language>;

/** What an agent chooses; `rona` and `offline` are only ever set by the system. */
export const SelectableStatus = z.enum(["ready", "back_office", "break"]);
export type SelectableStatus = z.infer<typeof SelectableStatus>;
/** `offline`: logged out. `rona`: missed an offer; only the agent sets Ready again. */
export const AgentStatus = z.enum(["ready", "back_office", "break", "rona", "offline"]);
export type AgentStatus = z.infer<typeof AgentStatus>;

/**
 * Delivery ticks of an outbound message, in the order they may only move forward.
 * `unconfirmed`: the send got no answer from Meta and no status came in the
 * minutes after, so it may or may not have reached the customer; it is never
 * sent again on its own (the agent may Resend it). A late status still moves it on.
 */
export const Tick = z.enum([
  "pending",
  "unconfirmed",
  "sent",
  "delivered",
  "read",
  "played",
  "failed",
]);
export type Tick = z.infer<typeof Tick>;

/** Why a message failed: Meta's error code, title and details, or one of ours (below). */
export const MessageError = z.object({
  code: z.number().int(),
  title: z.string(),
  message: z.string().optional(),
});
export type MessageError = z.infer<typeof MessageError>;
/** Our own error code: the message could not even be prepared for sending (nothing reached Meta). */
export const NOT_PREPARED_ERROR = -1;

export const Sender = z.discriminatedUnion("type", [
  z.object({ type: z.literal("customer") }),
  z.object({ type: z.literal("agent"), id: z.string(), name: z.string() }),
  z.object({ type: z.literal("system") }),
]);
export type Sender = z.infer<typeof Sender>;

/** One message of a conversation as the desktop shows it. */
export const MessageView = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** Position in the conversation, strictly increasing; used to fetch what was missed. */
  seq: z.number().int(),
  direction: z.enum(["in", "out"]),
  /** Meta's message type: text, image, audio, location, interactive, unsupported… */
  kind: z.string(),
  /** Human-readable text: the body, a caption, or a summary of a non-text message. */
  text: z.string(),
  /** Outbound only: the delivery tick. */
  status: Tick.nullable(),
  error: MessageError.nullable(),
  sender: Sender,
  createdAt: z.number(),
  /** The typed content the desktop renders (null: show `text`). */
  content: MessageContent.nullable().default(null),
  /** The message this one replies to, when the customer quoted one. */
  replyTo: ReplyTo.nullable().default(null),
  /** Outbound only: when each tick arrived. */
  statusTimes: StatusTimes.default({}),
  /** Outbound only: the id of the new message the agent resent this one as. */
  resentAs: z.string().nullable().default(null),
});
export type MessageView = z.infer<typeof MessageView>;

/**
 * Where a conversation is in its life:
 * - `bot`: the softbot asks the customer what they need (waiting for a category);
 * - `queued`: waiting for routing to assign it (`offered` while an offer is out);
 * - `assigned`: an agent has it (the owner; conference guests in `participants`);
 * - `transfer`: an agent handed it to a user or skillset who has not accepted yet;
 * - `wait_queue`: parked; the customer's next message wakes it (public: first
 *   available agent; personal: back to the same agent), or its agent unpauses it;
 * - `unauthorized`: the number accepts only existing customers and this one is
 *   not: it is not routed (an agent may still pick it up);
 * - `outbound`: an agent started it with a template and the customer has not
 *   answered yet: it is that agent's, but not on their desk (no seat) until the
 *   answer comes;
 * - `closed`.
 */
export const ConversationState = z.enum([
  "bot",
  "queued",
  "offered",
  "assigned",
  "transfer",
  "wait_queue",
  "unauthorized",
  "outbound",
  "closed",
]);
export type ConversationState = z.infer<typeof ConversationState>;

/** Public: the next customer message goes to the first available agent. Personal: back to the same agent. */
export const WaitQueueKind = z.enum(["public", "personal"]);
export type WaitQueueKind = z.infer<typeof WaitQueueKind>;
/** Immediate: falls back to others if the target does not accept in time. Exclusive: that target only, up to 24 h. */
export const TransferMode = z.enum(["immediate", "exclusive"]);
export type TransferMode = z.infer<typeof TransferMode>;

export const Participant = z.object({ id: z.string(), name: z.string() });
export type Participant = z.infer<typeof Participant>;

export const ConversationView = z.object({
  id: z.string(),
  numberId: z.string(),
  numberName: z.string(),
  displayPhone: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), phone: z.string().nullable() }),
  skillsetId: z.string().nullable(),
  skillsetName: z.string().nullable(),
  state: ConversationState,
  agentId: z.string().nullable(),
  createdAt: z.number(),
  /** Time of the customer's latest message, for the "since last message" timer. */
  lastCustomerMessageAt: z.number().nullable(),
  /** Seq of the newest message, to fetch what a desktop missed. */
  lastSeq: z.number().int(),
  closedAt: z.number().nullable(),
  closeReason: z.string().nullable(),
  /** Conference guests: agents invited by the owner who see and write too. */
  participants: z.array(Participant).default([]),
  /** While in the wait queue: which kind, whose (personal), since when. */
  waitQueue: z
    .object({
      kind: WaitQueueKind,
      agentId: z.string().nullable(),
      agentName: z.string().nullable(),
      since: z.number(),
    })
    .nullable()
    .default(null),
  /** While awaiting transfer: to whom, how, from whom, since when. */
  transfer: z
    .object({
      toAgentId: z.string().nullable(),
      toAgentName: z.string().nullable(),
      toSkillsetId: z.string().nullable(),
      toSkillsetName: z.string().nullable(),
      mode: TransferMode,
      fromAgentName: z.string().nullable(),
      since: z.number(),
    })
    .nullable()
    .default(null),
  /** Its agent logged out with it open: shown in waiting conversations, anyone may pick it up. */
  leftOpen: z.boolean().default(false),
  /** While assigned: when its current agent took it. */
  assignedAt: z.number().nullable().default(null),
});
export type ConversationView = z.infer<typeof ConversationView>;

/** A conversation offered to an agent, waiting for Accept until `expiresAt`. */
export const OfferView = z.object({
  conversationId: z.string(),
  customerName: z.string(),
  customerPhone: z.string().nullable(),
  numberName: z.string(),
  displayPhone: z.string(),
  skillsetName: z.string().nullable(),
  arrivedAt: z.number(),
  offeredAt: z.number(),
  expiresAt: z.number(),
  /** A new conversation, a transfer from a colleague, or an invitation to a conference. */
  kind: z.enum(["new", "transfer", "conference"]).default("new"),
  /** Who transferred it or invited us (transfer, conference). */
  fromAgentName: z.string().nullable().default(null),
});
export type OfferView = z.infer<typeof OfferView>;

export const AgentView = z.object({
  id: z.string(),
  name: z.string(),
  status: AgentStatus,
  /** Conversations assigned or offered right now. */
  load: z.number().int(),
  maxConversations: z.number().int(),
});
export type AgentView = z.infer<typeof AgentView>;

/** Everything the desktop needs to draw itself, and the event seq it is current to. */
export const DesktopSnapshot = z.object({
  seq: z.number().int(),
  agent: AgentView,
  offers: z.array(OfferView),
  conversations: z.array(ConversationView),
});
export type DesktopSnapshot = z.infer<typeof DesktopSnapshot>;

/** Max length of a WhatsApp text body. */
export const MAX_TEXT_LENGTH = 4096;

/** A desktop action's reference over the WebSocket, echoed by the `result` frame that answers it. */
export const ActionRef = z.string().min(1).max(64);

/**
 * The answer to a desktop's action over its WebSocket (`send`, `accept`,
 * `read`), with the action's `ref`: what the HTTP route would have answered —
 * the message sent, the conversation accepted, nothing for `read` — or the
 * refusal (its HTTP status, code and message).
 */
export const ActionResult = z.object({
  type: z.literal("result"),
  ref: ActionRef,
  message: MessageView.optional(),
  conversation: ConversationView.optional(),
  error: z.object({ status: z.number().int(), code: z.string(), message: z.string() }).optional(),
});
export type ActionResult = z.infer<typeof ActionResult>;

/** Events the agent actor pushes to every open desktop. `seq` increases by one per event. */
export const ServerEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("snapshot"), snapshot: DesktopSnapshot }),
  z.object({ type: z.literal("agent"), seq: z.number().int(), agent: AgentView }),
  z.object({ type: z.literal("offer"), seq: z.number().int(), offer: OfferView }),
  z.object({
    type: z.literal("offer_withdrawn"),
    seq: z.number().int(),
    conversationId: z.string(),
    reason: z.enum(["accepted", "expired", "closed"]),
  }),
  z.object({
    type: z.literal("conversation"),
    seq: z.number().int(),
    conversation: ConversationView,
  }),
  z.object({
    type: z.literal("message"),
    seq: z.number().int(),
    conversationId: z.string(),
    message: MessageView,
  }),
  z.object({ type: z.literal("pong") }),
  /** A frame the server could not read; `ref`: the action it was, which gets no result. */
  z.object({
    type: z.literal("error"),
    code: z.string(),
    message: z.string(),
    ref: ActionRef.optional(),
  }),
  ActionResult,
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
/** A server event before the agent actor numbers it. */
export type UnsequencedEvent = ServerEvent extends infer E
  ? E extends { seq: number }
    ? Omit<E, "seq">
    : never
  : never;

/**
 * Frames a desktop sends. `resume` asks for every event after `lastSeq` (or a
 * fresh snapshot when `lastSeq` is null or too old to replay).
 */
export const ClientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("resume"), lastSeq: z.number().int().nonnegative().nullable() }),
  z.object({ type: z.literal("ping") }),
  /** The agent is typing in a conversation (cancels a pending welcome on assignment). */
  z.object({ type: z.literal("typing"), conversationId: z.string().uuid() }),
  // The desktop's hot actions, answered by a `result` frame with their `ref`: the
  // same as their HTTP routes (which stay for API clients), without a request
  // and its session lookup each, as the socket was authenticated when opened.
  /** A text reply, idempotent by `clientId` (POST /api/conversations/:id/messages). */
  z.object({
    type: z.literal("send"),
    ref: ActionRef,
    conversationId: z.uuid(),
    clientId: z.uuid(),
    text: z.string().trim().min(1).max(MAX_TEXT_LENGTH),
  }),
  /** Accepts an offer (POST /api/offers/:id/accept). */
  z.object({ type: z.literal("accept"), ref: ActionRef, conversationId: z.uuid() }),
  /** The messages up to `upToSeq` are read (POST /api/conversations/:id/read). */
  z.object({
    type: z.literal("read"),
    ref: ActionRef,
    conversationId: z.uuid(),
    upToSeq: z.number().int().nonnegative(),
  }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

// ---- HTTP API bodies -------------------------------------------------------

export const LoginBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(256),
});
export const MeView = z.object({
  id: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["admin", "agent", "operator"]),
  language: Language,
  /** Sensitive data reaches this user masked (an agent of a tenant with masking on). */
  masked: z.boolean().default(false),
});
export type MeView = z.infer<typeof MeView>;
export const UpdateMeBody = z.object({ language: Language });

// ---- the signed-in user's account ----------------------------------------------

/** Minimum length of a password, wherever one is set. */
export const MIN_PASSWORD_LENGTH = 10;
const NewPassword = z.string().min(MIN_PASSWORD_LENGTH, "at least 10 characters").max(200);

/** GET/PATCH /api/account: the profile; the e-mail is the sign-in name and is not changed here. */
export const AccountView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  language: Language,
  role: z.enum(["admin", "agent", "operator"]),
  tenantName: z.string(),
});
export type AccountView = z.infer<typeof AccountView>;
/** PATCH /api/account: what is sent changes (at least one of them). */
export const UpdateAccountBody = z
  .object({ name: z.string().trim().min(1).max(100).optional(), language: Language.optional() })
  .refine((b) => b.name !== undefined || b.language !== undefined, {
    message: "send name or language",
  });
export type UpdateAccountBody = z.infer<typeof UpdateAccountBody>;
/** POST /api/account/password: the current password proves it is the user; other sessions end. */
export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPassword,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;
/** POST /auth/password-reset: mails a reset link if the address is an account's (always 202). */
export const PasswordResetBody = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
});
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;
export const SetStatusBody = z.object({ status: SelectableStatus });
/** WhatsApp's customer service window: free-form messages only within 24 h of the customer's last message. */
export const CUSTOMER_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a free-form message may be sent at `now`: the customer wrote less than
 * 24 hours ago. Outside the window only templates are allowed. Pure.
 */
export function customerWindowOpen(lastCustomerMessageAt: number | null, now: number): boolean {
  return lastCustomerMessageAt !== null && now < lastCustomerMessageAt + CUSTOMER_WINDOW_MS;
}
export const SendTextBody = z.object({
  /** Idempotency key chosen by the desktop: a retried send never sends twice. */
  clientId: z.string().uuid(),
  text: z.string().trim().min(1).max(MAX_TEXT_LENGTH),
});
/** Longest caption Meta takes on an image, video or document. */
export const MAX_CAPTION_LENGTH = 1024;
/**
 * What an agent may send besides typed text, by OUR ids: the Worker resolves each
 * within the caller's tenant (404 otherwise) and builds what Meta is sent.
 * - `media`: a file uploaded to this conversation (POST …/uploads), with a caption
 *   where Meta allows one (image, video, document);
 * - `location`: one of the tenant's predefined locations;
 * - `predefined`: a predefined message (interactive when it has buttons or a list).
 */
export const SendContent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().trim().min(1).max(MAX_TEXT_LENGTH) }),
  z.object({
    type: z.literal("media"),
    uploadId: z.uuid(),
    caption: z.string().trim().max(MAX_CAPTION_LENGTH).optional(),
  }),
  z.object({ type: z.literal("location"), locationId: z.string().min(1).max(100) }),
  z.object({ type: z.literal("predefined"), predefinedId: z.string().min(1).max(100) }),
]);
export type SendContent = z.infer<typeof SendContent>;
/**
 * A reply: typed `text` (as SendTextBody) or `content`, exactly one of them.
 * Idempotent by `clientId` like SendTextBody, which it extends.
 */
export const SendBody = z
  .object({
    clientId: z.string().uuid(),
    text: z.string().trim().min(1).max(MAX_TEXT_LENGTH).optional(),
    content: SendContent.optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.content === undefined), {
    message: "give exactly one of text or content",
    path: ["content"],
  });
export type SendBody = z.infer<typeof SendBody>;

/**
 * POST /api/conversations/:id/messages/:messageId/resend: send again a message
 * that is "not confirmed" or failed, as a new message `clientId` (idempotent:
 * a message is resent once at most).
 */
export const ResendBody = z.object({ clientId: z.string().uuid() });
export type ResendBody = z.infer<typeof ResendBody>;
/**
 * The file behind a sent media message, as kept in its payload
 * (`{ content, media }`): OUR media id (served by GET /api/media/:id), its type,
 * name and size in bytes.
 */
export const SentMedia = z.object({
  id: z.string(),
  mime: z.string(),
  filename: z.string(),
  size: z.number().int().nonnegative(),
});
export type SentMedia = z.infer<typeof SentMedia>;

// ---- the composer's reads: uploads, predefined locations and messages, meeting URL ----

/** What an upload answers: OUR media id (what a send names) and what Meta was given. */
export const UploadView = z.object({
  id: z.string(),
  metaMediaId: z.string(),
  mime: z.string(),
  size: z.number().int(),
  filename: z.string(),
  kind: z.enum(["image", "audio", "voice", "video", "document", "sticker"]),
});
export type UploadView = z.infer<typeof UploadView>;
/** The tenant's predefined locations, for the composer's picker. */
export const DeskLocations = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      address: z.string(),
      latitude: z.number(),
      longitude: z.number(),
    }),
  ),
});
export type DeskLocations = z.infer<typeof DeskLocations>;
/**
 * The tenant's predefined messages, for the composer's picker; `interactive` is
 * the admin's reply buttons or list (see admin.ts `Interactive`), or null.
 */
export const DeskPredefined = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      category: z.string(),
      title: z.string(),
      text: z.string(),
      interactive: z.looseObject({ type: z.enum(["buttons", "list"]) }).nullable(),
    }),
  ),
});
export type DeskPredefined = z.infer<typeof DeskPredefined>;
/** The tenant's meeting URL ("" when none): the composer's video-call button builds on it. */
export const DeskMeeting = z.object({ meetingUrl: z.string() });
export type DeskMeeting = z.infer<typeof DeskMeeting>;
/** The agent has seen the conversation up to this message: Meta shows the customer blue ticks. */
export const MarkReadBody = z.object({ upToSeq: z.number().int().nonnegative() });
/**
 * Closing, kept in the customer's history: a reason from the number's
 * profiling tree (`reasonId`, a leaf; the stored reason is its path, and
 * `reason` is then ignored) or free text (`reason`; "Closed" when neither is
 * given), and optional notes. The number's profiling settings decide whether a
 * `reasonId` is required and whether notes are allowed with it.
 */
export const CloseBody = z.object({
  reasonId: z.string().min(1).max(100).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
  notes: z.string().trim().max(2000).optional(),
});
export type CloseBody = z.infer<typeof CloseBody>;
/**
 * Messages with `after < seq` (and `seq < before` when given). Without `before`
 * or `limit`: all of them, oldest first. With either: the newest `limit`
 * (default 50) of that range, oldest first, and `hasMore` says whether older
 * ones remain in it.
 */
export const MessagesQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The body of every 4xx/5xx the API returns. */
export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

// ---- conversation lifecycle: transfer, wait queue, conference, pick-up ---------

/** Transfer to a user (immediate or exclusive), to a skillset, or to the wait queue. */
export const TransferBody = z.discriminatedUnion("to", [
  z.object({
    to: z.literal("agent"),
    agentId: z.string().min(1).max(200),
    mode: TransferMode.default("immediate"),
  }),
  z.object({ to: z.literal("skillset"), skillsetId: z.string().min(1).max(200) }),
  z.object({ to: z.literal("wait_queue"), kind: WaitQueueKind }),
]);
export type TransferBody = z.infer<typeof TransferBody>;

/** Invite an agent, or the best available agent of a skillset, into a conversation. */
export const ConferenceBody = z.discriminatedUnion("to", [
  z.object({ to: z.literal("agent"), agentId: z.string().min(1).max(200) }),
  z.object({ to: z.literal("skillset"), skillsetId: z.string().min(1).max(200) }),
]);
export type ConferenceBody = z.infer<typeof ConferenceBody>;

/**
 * Who a conversation can be transferred to or shared with. `available`: Ready
 * and under their limit right now (the desktop's "Ready" column). Isolated
 * agents only see their own skillsets and their members.
 */
export const TransferTargets = z.object({
  agents: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: AgentStatus,
      load: z.number().int(),
      maxConversations: z.number().int(),
      available: z.boolean(),
      skillsetIds: z.array(z.string()),
    }),
  ),
  skillsets: z.array(z.object({ id: z.string(), name: z.string(), available: z.number().int() })),
});
export type TransferTargets = z.infer<typeof TransferTargets>;

/** One conversation waiting in the tenant (not being worked by an agent right now). */
export const WaitingItem = z.object({
  conversationId: z.string(),
  numberId: z.string(),
  numberName: z.string(),
  customerName: z.string(),
  customerPhone: z.string().nullable(),
  skillsetName: z.string().nullable(),
  state: z.enum([
    "bot",
    "queued",
    "offered",
    "transfer",
    "wait_queue",
    "left_open",
    "unauthorized",
  ]),
  /** Public or personal, in the wait queue. */
  waitQueueKind: WaitQueueKind.nullable(),
  /** The agent concerned: who left it open, whose personal queue, who it is offered or transferred to. */
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  arrivedAt: z.number(),
  /** When it entered its current state. */
  since: z.number(),
});
export type WaitingItem = z.infer<typeof WaitingItem>;
export const WaitingList = z.object({ items: z.array(WaitingItem) });
export type WaitingList = z.infer<typeof WaitingList>;

/** Open: every number of the tenant is open; mixed: some are; closed: none (working time). */
export const ServiceStatus = z.object({
  status: z.enum(["open", "mixed", "closed"]),
  numbers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      open: z.boolean(),
      /** When it next opens or closes; null when not within the next two weeks. */
      nextChangeAt: z.number().nullable(),
    }),
  ),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

// ---- closing with the profiling tree ---------------------------------------------

/** One closing reason of a number's profiling tree, with its children in order. */
export interface CloseReasonNode {
  id: string;
  value: string;
  /** Label of the choice among the children, e.g. "Product"; null = a generic one. */
  childrenLabel: string | null;
  /** Notes may be added when this reason is chosen (besides the number's free notes). */
  notesAllowed: boolean;
  children: CloseReasonNode[];
}
export const CloseReasonNode: z.ZodType<CloseReasonNode> = z.object({
  id: z.string(),
  value: z.string(),
  childrenLabel: z.string().nullable(),
  notesAllowed: z.boolean(),
  get children() {
    return z.array(CloseReasonNode);
  },
});

/**
 * What the close dialog offers for a conversation: its number's profiling tree
 * (at most 3 levels, siblings by position), whether a reason from it is
 * required (only when the tree has one), and whether free notes are always
 * allowed (otherwise only with a reason whose `notesAllowed` is set).
 */
export const CloseOptions = z.object({
  required: z.boolean(),
  freeNotes: z.boolean(),
  tree: z.array(CloseReasonNode),
});
export type CloseOptions = z.infer<typeof CloseOptions>;

/** How the stored closing reason joins the levels of a path: "Sales › Product › Broken". */
export const CLOSE_REASON_SEPARATOR = " › ";
