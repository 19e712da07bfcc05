/**
 * The bindings tests see through `cloudflare:test` / `cloudflare:workers`: the
 * product's (src/durable/env.ts) and the tests' own.
 */
import type { Env } from "../src/durable/env";

declare global {
  namespace Cloudflare {
    interface Env extends ParleyEnv {
      /** Tests only: the Meta simulator's base URL. */
      SIM_URL?: string;
      /** Tests only: the loopback SMTP sink's HTTP API (GET /messages?to=). */
      MAIL_SINK_URL?: string;
      /** Tests only: the D1 migrations to apply. */
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
    interface GlobalProps {
      mainModule: typeof import("../src/worker/index");
      durableNamespaces: "NumberActor" | "ConversationActor" | "AgentActor" | "LimiterActor";
    }
  }
}

type ParleyEnv = Env;
