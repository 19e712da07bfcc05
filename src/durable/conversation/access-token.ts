/**
 * The number's Graph API access token, as the conversation's sends and media
 * downloads use it: read from D1 (sealed there, src/platform/secrets.ts) at
 * most once a minute. A send that Meta refuses for its token reads it again
 * at once, so new credentials apply from the next send, and within a minute
 * otherwise.
 */
import { and, eq } from "drizzle-orm";
import { requireConfig } from "../../platform/config";
import { d1 } from "../../platform/db/d1";
import { managedNumbers } from "../../platform/db/schema";
import { openSecret } from "../../platform/secrets";
import type { Env } from "../env";
import type { ConversationRecord } from "./record";

/** How long a conversation keeps its number's access token between D1 reads. */
const TOKEN_TTL_MS = 60_000;

/** One conversation's cached token (an actor holds one for its lifetime in memory). */
export class AccessTokenCache {
  private cached: { value: string; numberId: string; until: number } | null = null;

  constructor(private readonly env: Env) {}

  /** The token of the record's number; `fresh` reads D1 again whatever the cache holds. */
  async get(record: ConversationRecord, fresh = false): Promise<string> {
    const cached = this.cached;
    if (!fresh && cached?.numberId === record.number.id && cached.until > Date.now()) {
      return cached.value;
    }
    const row = await d1(this.env.DB)
      .select({ accessToken: managedNumbers.accessToken })
      .from(managedNumbers)
      .where(
        and(eq(managedNumbers.id, record.number.id), eq(managedNumbers.tenantId, record.tenantId)),
      )
      .get();
    const value =
      (await openSecret(
        requireConfig(this.env).dataKey,
        "managed_numbers.access_token",
        row?.accessToken,
      )) ?? "";
    this.cached = { value, numberId: record.number.id, until: Date.now() + TOKEN_TTL_MS };
    return value;
  }
}
