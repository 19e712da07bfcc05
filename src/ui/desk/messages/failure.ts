/**
 * What the desk says about a message that failed: Meta's error codes (META-CONTRACT §6)
 * and our own, as a key of the messages dictionary, written for people. Pure.
 */
import { type MessageError, NOT_PREPARED_ERROR } from "../../../shared/protocol.ts";
import type { messagesEn } from "../i18n/messages.ts";

type FailureKey = Extract<keyof typeof messagesEn, `messages.failed.${string}`>;

const BY_CODE: Readonly<Record<number, FailureKey>> = {
  [NOT_PREPARED_ERROR]: "messages.failed.notPrepared",
  131047: "messages.failed.window",
  131026: "messages.failed.undeliverable",
  131049: "messages.failed.marketingLimit",
  131050: "messages.failed.optedOut",
  4: "messages.failed.rateLimit",
  80007: "messages.failed.rateLimit",
  130429: "messages.failed.rateLimit",
  131056: "messages.failed.rateLimit",
  2: "messages.failed.unavailable",
  131000: "messages.failed.unavailable",
  131016: "messages.failed.unavailable",
  131057: "messages.failed.unavailable",
  133004: "messages.failed.unavailable",
  190: "messages.failed.credentials",
  132000: "messages.failed.template",
  132001: "messages.failed.template",
  132015: "messages.failed.template",
  132016: "messages.failed.template",
};

/**
 * The explanation of a failed message's error (generic when unknown or absent), and
 * Meta's code to quote for support (null for our own errors and for none).
 */
export function failureText(error: MessageError | null): {
  key: FailureKey;
  code: number | null;
} {
  if (!error) return { key: "messages.failed.generic", code: null };
  return {
    key: BY_CODE[error.code] ?? "messages.failed.generic",
    code: error.code > 0 ? error.code : null,
  };
}
