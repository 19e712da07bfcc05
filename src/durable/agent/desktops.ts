/**
 * The agent's desktops: hibernatable WebSockets (each tagged with its tenant
 * and the session it was opened with), their frames (resume, typing, ping, and
 * the actions of socket-actions.ts),
 * and their sessions, checked against D1 by the alarm (sessions end without
 * telling anyone when they time out) and closed when a session ends; the
 * agent goes offline when that leaves no desktop open.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { D1Db } from "../../platform/db/d1";
import { redacted } from "../../platform/db/errors";
import { activeSessionUser } from "../../platform/db/joins";
import { sessions, tenants, users } from "../../platform/db/schema";
import { assertNever } from "../../shared/assert-never";
import type { ActionResult, DesktopSnapshot, ServerEvent } from "../../shared/protocol";
import type { Env } from "../env";
import type { KvCell } from "../sql";
import { readClientFrame } from "./client-frame";
import type { EventLog } from "./event-log";
import type { Presence } from "./presence";
import type { Profile, Profiles } from "./profile";
import type { SocketAction } from "./socket-actions";

/** At most this long between checks that open desktops' sessions are still valid. */
const SESSION_CHECK_MAX_MS = 10 * 60_000;
/** A desktop socket's tag naming the session it was opened with. */
const SESSION_TAG = "session:";
/** A desktop socket's tag naming its language (its refusals are written in it). */
const LANGUAGE_TAG = "lang:";

/** What the desktops need of the actor. */
export interface DesktopDeps {
  sockets: Pick<DurableObjectState, "getWebSockets" | "acceptWebSocket" | "getTags">;
  env: Env;
  d1: D1Db;
  now: () => number;
  /** When the open desktops' sessions are next checked (ms); absent without desktops. */
  sessionCheckCell: KvCell<number>;
  armAlarm: () => Promise<void>;
  profiles: Pick<Profiles, "current" | "load">;
  presence: Pick<Presence, "get" | "cameOnline" | "goOffline">;
  log: Pick<EventLog, "replay" | "snapshotFrame" | "toDesktop">;
  snapshot: (tenantId: string) => Promise<DesktopSnapshot | null>;
  seated: (conversationId: string) => boolean;
  /** Runs a desktop's action (send, accept, read) for the socket's tenant, refusals in its language. */
  act: (tenantId: string, action: SocketAction, language: "en" | "it") => Promise<ActionResult>;
}

/** The agent's open desktops and their sessions. */
export class Desktops {
  constructor(private readonly deps: DesktopDeps) {}

  /** Upgrades the desktop's request (already authenticated by the Worker) to a hibernatable WebSocket. */
  async connect(request: Request): Promise<Response> {
    const { sockets, now, sessionCheckCell, profiles, presence } = this.deps;
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const tenantId = request.headers.get("X-Parley-Tenant") ?? "";
    const sessionId = request.headers.get("X-Parley-Session") ?? "";
    // Reloaded at each connection, so the masking flag is current even if a
    // settings notification was lost.
    const cached = profiles.current();
    const profile = cached && cached.tenantId !== tenantId ? null : await profiles.load(tenantId);
    if (!profile) return new Response("forbidden", { status: 403 });
    // Online first, then the socket: what coming online publishes reaches the
    // desktop through its `resume`, in order, rather than live ahead of it.
    await presence.cameOnline(profile);
    const pair = new WebSocketPair();
    const language = request.headers.get("X-Parley-Language") === "it" ? "it" : "en";
    sockets.acceptWebSocket(pair[1], [
      tenantId,
      `${SESSION_TAG}${sessionId}`,
      `${LANGUAGE_TAG}${language}`,
    ]);
    // Its session is checked when it could next end (expiry or idle time).
    const check = sessionCheckCell.get();
    if (check === null || check > now() + SESSION_CHECK_MAX_MS) {
      sessionCheckCell.set(now() + SESSION_CHECK_MAX_MS);
      await this.deps.armAlarm();
    }
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** A desktop's frame; a malformed one gets a `bad_frame` answer and the socket stays usable. */
  async message(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const read = readClientFrame(data);
    if (!read.ok) {
      ws.send(
        JSON.stringify({
          type: "error",
          code: "bad_frame",
          message: read.message,
          ...(read.ref ? { ref: read.ref } : {}),
        } satisfies ServerEvent),
      );
      return;
    }
    const frame = read.frame;
    switch (frame.type) {
      case "ping":
        ws.send(JSON.stringify({ type: "pong" } satisfies ServerEvent));
        return;
      case "resume":
        await this.resume(ws, frame.lastSeq);
        return;
      case "typing":
        if (this.deps.seated(frame.conversationId)) {
          await this.deps.env.CONVERSATION.getByName(frame.conversationId).agentTyping(
            this.deps.profiles.current()?.id ?? "",
          );
        }
        return;
      case "send":
      case "accept":
      case "read": {
        const tags = this.deps.sockets.getTags(ws);
        const language = tags.includes(`${LANGUAGE_TAG}it`) ? "it" : "en";
        const result = await this.deps.act(tags[0] ?? "", frame, language);
        try {
          ws.send(this.deps.log.toDesktop(JSON.stringify(result)));
        } catch {
          // Closed meanwhile: the desktop repeats the action (a send by its clientId).
        }
        return;
      }
      default:
        assertNever(frame);
    }
  }

  /** Replays events after `lastSeq`, or sends a snapshot when that gap is no longer in the log. */
  private async resume(ws: WebSocket, lastSeq: number | null): Promise<void> {
    if (this.deps.log.replay(ws, lastSeq)) return;
    const tenantId = this.deps.sockets.getTags(ws)[0] ?? "";
    const snapshot = await this.deps.snapshot(tenantId);
    if (snapshot) ws.send(this.deps.log.snapshotFrame(snapshot));
  }

  /** The desktop closed its end: closes ours with the same code. */
  closed(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 ? 1000 : code, "closing");
    } catch {
      // already closed
    }
  }

  /** How many desktops are connected. */
  count(): number {
    return this.deps.sockets.getWebSockets().length;
  }

  /** Disconnects every desktop with `code` (4001: the desktop signs in again). */
  closeAll(code: number, reason: string): void {
    for (const ws of this.deps.sockets.getWebSockets()) ws.close(code, reason);
  }

  /**
   * Closes the desktops whose session is not `keep` (every desktop for null).
   * When no desktop is left open, the agent goes offline as on logout.
   */
  async sessionsEnded(profile: Profile, keep: string | null): Promise<void> {
    await this.closeDesktops((session) => session !== null && session === keep, profile);
  }

  /**
   * Checks the open desktops' sessions against D1: a desktop whose session was
   * deleted, expired or idle too long is disconnected. The next check is due
   * when the earliest remaining session could end. Throws when D1 cannot be
   * read (the caller checks again shortly).
   */
  async checkSessions(): Promise<void> {
    const { sockets, d1, now, sessionCheckCell } = this.deps;
    const open = sockets.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
    const ids = [...new Set(open.map((ws) => this.sessionOf(ws)).filter((id) => id !== null))];
    const at = now();
    const deadlines = new Map<string, number>();
    if (ids.length > 0) {
      const rows = await d1
        .select({
          id: sessions.id,
          // SQLite's two-argument min() and coalesce(): when the session ends,
          // by expiry or by the tenant's idle time.
          endsAt: sql<number>`min(${sessions.expiresAt},
            coalesce(${sessions.lastSeenAt}, ${sessions.createdAt}) + ${tenants.sessionIdleMinutes} * 60000)`,
        })
        .from(sessions)
        .innerJoin(users, activeSessionUser)
        .innerJoin(tenants, and(eq(tenants.id, sessions.tenantId), eq(tenants.status, "active")))
        .where(inArray(sessions.id, ids))
        .catch((err: unknown) => {
          throw redacted(err);
        });
      for (const r of rows) if (r.endsAt > at) deadlines.set(r.id, r.endsAt);
    }
    await this.closeDesktops(
      (session) => session !== null && deadlines.has(session),
      this.deps.profiles.current(),
    );
    if (deadlines.size === 0) sessionCheckCell.delete();
    else sessionCheckCell.set(Math.min(at + SESSION_CHECK_MAX_MS, ...deadlines.values()) + 1000);
  }

  /** Closes every desktop whose session `valid` refuses; offline when that leaves none. */
  private async closeDesktops(
    valid: (session: string | null) => boolean,
    profile: Profile | null,
  ): Promise<void> {
    let closed = 0;
    let left = 0;
    for (const ws of this.deps.sockets.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (valid(this.sessionOf(ws))) {
        left++;
        continue;
      }
      closed++;
      try {
        ws.close(4001, "session ended");
      } catch {
        // already closing
      }
    }
    if (closed > 0 && left === 0 && profile && this.deps.presence.get().status !== "offline") {
      await this.deps.presence.goOffline(profile);
    }
  }

  private sessionOf(ws: WebSocket): string | null {
    const tag = this.deps.sockets.getTags(ws).find((t) => t.startsWith(SESSION_TAG));
    return tag ? tag.slice(SESSION_TAG.length) || null : null;
  }
}
