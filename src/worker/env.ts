import type { AgentActor } from "../durable/agent";
import type { ConversationActor } from "../durable/conversation";
import type { NumberActor } from "../durable/number";

/** Bindings and vars of the Worker and its actors (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  NUMBER: DurableObjectNamespace<NumberActor>;
  CONVERSATION: DurableObjectNamespace<ConversationActor>;
  AGENT: DurableObjectNamespace<AgentActor>;
  ASSETS?: Fetcher;
  /** "production" on Cloudflare; "development" under `npm run dev`; "test" in vitest. */
  ENVIRONMENT: string;
  META_APP_SECRET?: string;
  META_VERIFY_TOKEN?: string;
  /** Graph API base including the version, e.g. https://graph.facebook.com/v23.0 */
  GRAPH_API_BASE: string;
  OFFER_TIMEOUT_SECONDS?: string;
  /** Base delay of the outbound retry backoff; tests shorten it. */
  OUTBOUND_RETRY_BASE_MS?: string;
}

declare global {
  namespace Cloudflare {
    interface Env extends ParleyEnv {
      /** Tests only: the Meta simulator's base URL and the D1 migrations to apply. */
      SIM_URL?: string;
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
    interface GlobalProps {
      mainModule: typeof import("./index");
      durableNamespaces: "NumberActor" | "ConversationActor" | "AgentActor";
    }
  }
}

type ParleyEnv = Env;
