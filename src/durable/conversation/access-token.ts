/**
 * The number's Graph API access token, as the conversation's sends and media
 * downloads use it. The number hands it (sealed, as D1 holds it:
 * src/platform/secrets.ts) with every batch of the customer's messages and
 * with every change of its configuration or credentials, so a reply reads no
 * D1 for it; it is opened once per value. Without a handed token for
 * TOKEN_TTL_MS (an actor just woken, a change whose call was lost) it is read
 * from D1. A send that Meta refuses for its token reads it again at once.
 */
import { and, eq } from "drizzle-orm";
import { requireConfig } from "../../platform/config";
import { d1 } from "../../platform/db/d1";
import { managedNumbers } from "../../platform/db/schema";
import { openSecret } from "../../platform/secrets";
import type { NumberToken } from "../contracts";
import type { Env } from "../env";
import type { ConversationRecord } from "./record";

/** How long a token handed by the number (or read from D1) is used without another. */
const TOKEN_TTL_MS = 10 * 60_000;

/** One conversation's cached token (an actor holds one for its lifetime in memory). */
export class AccessTokenCache {
  /** `value`: the opened token, null until first needed. */
  private cached: {
    sealed: string | null;
    value: string | null;
    numberId: string;
    until: number;
  } | null = null;

  constructor(private readonly env: Env) {}

  /** The number handed its token: used from now on (opened when first needed). */
  offer(token: NumberToken): void {
    const cached = this.cached;
    const until = Date.now() + TOKEN_TTL_MS;
    if (cached?.numberId === token.numberId && cached.sealed === token.sealed) {
      cached.until = until;
      return;
    }
    this.cached = { sealed: token.sealed, value: null, numberId: token.numberId, until };
  }

  /** The token of the record's number; `fresh` reads D1 again whatever the cache holds. */
  async get(record: ConversationRecord, fresh = false): Promise<string> {
    const cached = this.cached;
    if (!fresh && cached?.numberId === record.number.id && cached.until > Date.now()) {
      cached.value ??= await this.open(cached.sealed);
      return cached.value;
    }
    const row = await d1(this.env.DB)
      .select({ accessToken: managedNumbers.accessToken })
      .from(managedNumbers)
      .where(
        and(eq(managedNumbers.id, record.number.id), eq(managedNumbers.tenantId, record.tenantId)),
      )
      .get();
    const sealed = row?.accessToken ?? null;
    const value = await this.open(sealed);
    this.cached = { sealed, value, numberId: record.number.id, until: Date.now() + TOKEN_TTL_MS };
    return value;
  }

  private async open(sealed: string | null): Promise<string> {
    return (
      (await openSecret(requireConfig(this.env).dataKey, "managed_numbers.access_token", sealed)) ??
      ""
    );
  }
}
