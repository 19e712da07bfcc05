/**
 * Everything a Worker request or an actor is given: the platform's bindings and
 * vars (src/platform/env.ts) and the actors' namespaces, typed by their classes.
 */
import type { PlatformEnv } from "../platform/env";
import type { AgentActor } from "./agent/actor";
import type { ConversationActor } from "./conversation/actor";
import type { LimiterActor } from "./limiter/actor";
import type { NumberActor } from "./number/actor";

export interface Env extends PlatformEnv {
  NUMBER: DurableObjectNamespace<NumberActor>;
  CONVERSATION: DurableObjectNamespace<ConversationActor>;
  AGENT: DurableObjectNamespace<AgentActor>;
  /** Throttles: one actor per throttled key (see src/worker/security/limits.ts). */
  LIMITER: DurableObjectNamespace<LimiterActor>;
}
