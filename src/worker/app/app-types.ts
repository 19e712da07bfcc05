import type { Env } from "../../durable/env";
import type { Config } from "../../platform/config";

/** The signed-in user, resolved from the session cookie on every API request. */
export interface SessionUser {
  id: string;
  tenantId: string;
  tenantName: string;
  email: string;
  name: string;
  role: "admin" | "agent" | "operator";
  language: "en" | "it";
  sessionId: string;
  /** Sees sensitive data masked: an agent (not an admin) of a tenant with masking on. */
  masked: boolean;
}

export type AppEnv = {
  Bindings: Env;
  /** `requestId` names the request in logs, the audit trail and the `X-Request-Id` header. */
  Variables: { config: Config; user: SessionUser; requestId: string };
};
