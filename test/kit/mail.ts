/**
 * The mail the local SMTP sink (test/kit/smtp-sink.ts) received, read over its HTTP
 * API, and its refusals. Usable in workerd (the sink of vitest's global setup, the
 * default) and in Node (pass the local stack's `mailUrl`).
 */
import { inject } from "vitest";
import type { SinkMessage } from "./smtp-sink.ts";
import { eventually } from "./wait.ts";

/** The sink the workerd tests share (test/global-setup.ts). */
function sharedSink(): string {
  return inject("mailSinkUrl");
}

/** Mails the sink received for `to` (everyone's when not given) so far, oldest first. */
export async function mailsTo(to?: string, sinkUrl = sharedSink()): Promise<SinkMessage[]> {
  const query = to === undefined ? "" : `?to=${encodeURIComponent(to)}`;
  const res = await fetch(`${sinkUrl}/messages${query}`);
  return (await res.json()) as SinkMessage[];
}

/** Waits until at least one mail to `to` has arrived; the mails, oldest first. */
export function mailsArrived(
  to: string,
  sinkUrl = sharedSink(),
  timeoutMs = 5000,
): Promise<SinkMessage[]> {
  return eventually(async () => {
    const list = await mailsTo(to, sinkUrl);
    return list.length > 0 ? list : null;
  }, timeoutMs);
}

/** The newest mail to `to`, waited for as long as a whole stack may take to send it. */
export async function lastMailTo(to: string, sinkUrl: string): Promise<SinkMessage> {
  return (await mailsArrived(to, sinkUrl, 15_000)).at(-1)!;
}

/** From now on the sink refuses mail to `to` (550), as a mailbox that does not exist. */
export async function refuseMailTo(to: string, sinkUrl = sharedSink()): Promise<void> {
  await fetch(`${sinkUrl}/reject?to=${encodeURIComponent(to)}`, { method: "POST" });
}

/** The sink accepts mail to `to` again. */
export async function acceptMailTo(to: string, sinkUrl = sharedSink()): Promise<void> {
  await fetch(`${sinkUrl}/accept?to=${encodeURIComponent(to)}`, { method: "POST" });
}
