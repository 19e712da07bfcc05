/**
 * The agent's status (Ready / Back office / Break / RONA / offline) and when
 * they last received a conversation, stored in the `presence` cell; the
 * agent's live state as routing sees it (status, load, limit); telling every
 * number the agent serves when it changes; going online and offline (the
 * conversations left open meanwhile); and deactivation, which hands every
 * offer and seat back to routing.
 */
import type { D1Db } from "../../platform/db/d1";
import type { AgentStatus, AgentView, UnsequencedEvent } from "../../shared/protocol";
import type { AgentLive } from "../contracts";
import type { Env } from "../env";
import type { ActorDb, KvCell } from "../sql";
import { numbersServed, type Profile } from "./profile";
import { handBack } from "./seats";
import { allOffers, deleteAllOffers, deleteAllSeats, load, seatRefs } from "./tables";

/** What the `presence` cell stores. */
export type PresenceState = { status: AgentStatus; lastAssignedAt: number | null };

/** What presence needs of the actor. */
export interface PresenceDeps {
  db: ActorDb;
  d1: D1Db;
  env: Env;
  presenceCell: KvCell<PresenceState>;
  /** The cached profile (null once deactivated). */
  profile: () => Profile | null;
  publish: (event: UnsequencedEvent) => void;
}

/** The agent's status and live state (see the module comment). */
export class Presence {
  constructor(private readonly deps: PresenceDeps) {}

  /** The stored presence (offline before any). */
  get(): PresenceState {
    return this.deps.presenceCell.get() ?? { status: "offline", lastAssignedAt: null };
  }

  /** Stores a change of status or of the last assignment. */
  update(change: Partial<PresenceState>): void {
    this.deps.presenceCell.set({ ...this.get(), ...change });
  }

  /** The agent's live state, for routing. */
  live(profile: Profile): AgentLive {
    const presence = this.get();
    return {
      id: profile.id,
      status: presence.status,
      load: load(this.deps.db),
      maxConversations: profile.maxConversations,
      lastAssignedAt: presence.lastAssignedAt,
    };
  }

  /** The agent as their desktops show them. */
  view(profile: Profile): AgentView {
    const live = this.live(profile);
    return {
      id: profile.id,
      name: profile.name,
      status: live.status,
      load: live.load,
      maxConversations: live.maxConversations,
    };
  }

  /** Publishes the agent's new state to its desktops and to every number it serves. */
  async announce(profile: Profile): Promise<void> {
    const { env, publish } = this.deps;
    publish({ type: "agent", agent: this.view(profile) });
    const live = this.live(profile);
    const numbers = await numbersServed(this.deps.d1, profile);
    await Promise.all(
      numbers.map((numberId) =>
        env.NUMBER.getByName(numberId)
          .agentChanged(live)
          .catch((err: unknown) => console.error("agentChanged failed", numberId, err)),
      ),
    );
  }

  /** A desktop connected: an offline agent becomes Back office (never Ready by itself). */
  async cameOnline(profile: Profile): Promise<void> {
    if (this.get().status !== "offline") return;
    this.update({ status: "back_office" });
    await this.markLeftOpen(false);
    await this.announce(profile);
  }

  /** Offline as on logout: routing stops offering, open conversations are left open. */
  async goOffline(profile: Profile): Promise<void> {
    this.update({ status: "offline" });
    await this.markLeftOpen(true);
    await this.announce(profile);
  }

  /**
   * Marks (logout) or clears (back online) "left open" on the conversations
   * this agent owns, so colleagues can pick them up meanwhile.
   */
  private async markLeftOpen(open: boolean): Promise<void> {
    const { db, env } = this.deps;
    const profile = this.deps.profile();
    if (!profile) return;
    await Promise.all(
      seatRefs(db).map(async (seat) => {
        await env.NUMBER.getByName(seat.number_id).leftOpen(seat.conversation_id, profile.id, open);
        await env.CONVERSATION.getByName(seat.conversation_id).setLeftOpen(profile.id, open);
      }),
    );
  }

  /**
   * The user was deactivated: offline, every desktop disconnected
   * (`closeDesktops`), and every offer and assigned conversation back to its
   * number's routing, after the numbers learn the agent is offline (so
   * re-routing never picks it again). `forgetProfile` runs in between.
   */
  async deactivate(
    profile: Profile,
    closeDesktops: () => void,
    forgetProfile: () => void,
  ): Promise<void> {
    const { db, env, publish } = this.deps;
    this.update({ status: "offline" });
    const offers = allOffers(db);
    const assigned = seatRefs(db);
    deleteAllOffers(db);
    deleteAllSeats(db);
    for (const o of offers) {
      publish({ type: "offer_withdrawn", conversationId: o.conversation_id, reason: "closed" });
    }
    publish({ type: "agent", agent: this.view(profile) });
    closeDesktops();
    await this.announce(profile);
    forgetProfile();
    await Promise.all([
      ...offers.map((o) =>
        env.NUMBER.getByName(o.number_id).handBack(o.conversation_id, profile.id),
      ),
      ...assigned.map((a) => handBack(env, a.conversation_id, a.number_id, profile.id)),
    ]);
  }
}
