/**
 * Drill: actors die mid-flow. While customers write (10 msg/s) and agents
 * reply, every 600 ms one actor is aborted through the drill hook (as the
 * runtime does when it evicts or restarts an object): in turn the number's,
 * a conversation's and an agent's. In-flight calls fail; Meta's deliveries
 * that were not acknowledged are sent again (as Meta retries), agents resume
 * their WebSockets and resend a reply whose POST failed (same clientId). Every
 * message must still be stored, shown and answered exactly once.
 */
import { DEMO } from "../demo-data.ts";
import { type Drill, drillHook, metaRetries, sleep, steadyLoad } from "./common.ts";

type Kind = "number" | "conversation" | "agent";

const pick = <T>(list: T[]): T | undefined => list[Math.floor(Math.random() * list.length)];

/** The drill (see the module comment). */
export const actorAborts: Drill = async (product, prefix, { seconds }) => {
  const problems: string[] = [];
  const counts: Record<Kind, number> = { number: 0, conversation: 0, agent: 0 };
  const resumesBefore = product.agents.reduce((n, a) => n + a.reconnects, 0);
  let running = true;
  const killer = (async () => {
    const kinds: Kind[] = ["number", "conversation", "agent"];
    for (let i = 0; running; i++) {
      await sleep(600);
      const kind = kinds[i % kinds.length] as Kind;
      const id =
        kind === "number"
          ? DEMO.number.id
          : kind === "conversation"
            ? pick(product.agents.flatMap((a) => [...a.conversations]))
            : pick(product.agents.flatMap((a) => (a.id ? [a.id] : [])));
      if (!id) continue;
      try {
        await drillHook(product, "abort", { actor: kind, id });
        counts[kind] += 1;
      } catch (err) {
        problems.push(String(err));
      }
    }
  })();
  const retries = metaRetries(product);
  const { errors } = await steadyLoad(product, prefix, 10, seconds, retries.deliver);
  running = false;
  await killer;
  if (errors) problems.push(`${errors} deliveries never acknowledged after Meta's retries`);
  const resumes = product.agents.reduce((n, a) => n + a.reconnects, 0) - resumesBefore;
  return {
    injected: `${counts.number} number, ${counts.conversation} conversation and ${counts.agent} agent actors aborted (${retries.redelivered()} deliveries retried as Meta would, ${resumes} WebSocket resumes)`,
    problems,
  };
};
