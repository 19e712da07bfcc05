/**
 * The desktop's numbered event log (table `events`): every event the agent's
 * desktops get is numbered (seq), kept for replay (the last EVENT_LOG_SIZE)
 * and sent to every open desktop, so a reconnecting desktop resumes with
 * exactly what it missed, or gets a fresh snapshot when it is too far
 * behind. Frames are stored clear and masked at send time, so replays follow
 * the tenant's current masking.
 */

import { count } from "../../platform/meter";
import { type Json, maskJson } from "../../shared/masking";
import type { DesktopSnapshot, ServerEvent, UnsequencedEvent } from "../../shared/protocol";
import { type ActorDb, StoredJson, sql } from "../sql";

/** Events kept for replay; a desktop further behind gets a fresh snapshot. */
const EVENT_LOG_SIZE = 1000;

/** `events.body`: a ServerEvent frame with its seq, as JSON (read back only to mask it). */
const frameJson = new StoredJson<Json>();

/** What the log needs of the actor. */
export interface EventLogDeps {
  db: ActorDb;
  /** The open desktops. */
  sockets: () => WebSocket[];
  /** Whether this agent's desktops see sensitive data masked. */
  masked: () => boolean;
}

/** The numbered events of the agent's desktops. */
export class EventLog {
  /** The last event's seq, kept in memory once read (only `publish` adds events). */
  private seq: number | null = null;

  constructor(private readonly deps: EventLogDeps) {}

  /** The seq of the last event published (0 before any). */
  lastSeq(): number {
    this.seq ??=
      this.deps.db.one<{ seq: number | null }>(sql`SELECT max(seq) AS seq FROM events`)?.seq ?? 0;
    return this.seq;
  }

  /** Numbers an event, keeps it for replay and sends it to every open desktop. */
  publish(event: UnsequencedEvent): void {
    const { db } = this.deps;
    const seq = this.lastSeq() + 1;
    const frame = { ...event, seq } as ServerEvent;
    const body = JSON.stringify(frame);
    db.run(sql`INSERT INTO events (seq, body) VALUES (${seq}, ${body})`);
    this.seq = seq;
    // The log keeps the last EVENT_LOG_SIZE events (trimmed every 50, not at each one).
    if (seq % 50 === 0) db.run(sql`DELETE FROM events WHERE seq <= ${seq - EVENT_LOG_SIZE}`);
    // Masked from the event itself: the JSON just written is not parsed back.
    this.broadcast(this.deps.masked() ? JSON.stringify(maskJson(frame as Json)) : body);
  }

  /**
   * Replays the events after `lastSeq` to `ws`; false when that gap is no
   * longer in the log (the desktop needs a snapshot instead).
   */
  replay(ws: WebSocket, lastSeq: number | null): boolean {
    const { db } = this.deps;
    const oldest = db.one<{ seq: number | null }>(sql`SELECT min(seq) AS seq FROM events`)?.seq;
    const current = this.lastSeq();
    const canReplay =
      lastSeq !== null &&
      lastSeq <= current &&
      (lastSeq >= (oldest ?? 1) - 1 || lastSeq === current);
    if (!canReplay) return false;
    for (const row of db.all<{ body: string }>(
      sql`SELECT body FROM events WHERE seq > ${lastSeq} ORDER BY seq`,
    )) {
      ws.send(this.toDesktop(row.body));
    }
    return true;
  }

  /** A snapshot frame, as this agent's desktops may see it. */
  snapshotFrame(snapshot: DesktopSnapshot): string {
    return this.toDesktop(JSON.stringify({ type: "snapshot", snapshot } satisfies ServerEvent));
  }

  /** Sends a frame to every open desktop; one closing meanwhile resumes from its last seq. */
  broadcast(frame: string): void {
    for (const ws of this.deps.sockets()) {
      try {
        ws.send(frame);
        count("ws.frames_out");
      } catch {
        // A socket closing under us; its desktop resumes from its last seq.
      }
    }
  }

  /**
   * Blanks the texts of a conversation's messages in the log: its customer
   * keeps no message history, so contents must not linger here. Event seqs
   * stay, so desktops resume as before. Idempotent.
   */
  forgetTexts(conversationId: string): void {
    this.deps.db.run(
      sql`UPDATE events SET body = json_set(body, '$.message.text', '', '$.message.content', NULL, '$.message.replyTo', NULL)
          WHERE json_extract(body, '$.type') = 'message'
            AND json_extract(body, '$.conversationId') = ${conversationId}`,
    );
  }

  /**
   * A frame as this agent's desktops may see it: masked when the agent must
   * see sensitive data masked.
   */
  toDesktop(body: string): string {
    if (!this.deps.masked()) return body;
    return JSON.stringify(maskJson(frameJson.read(body)));
  }
}
