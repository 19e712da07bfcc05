/**
 * The API's expected refusals (the table is src/shared/refusals.ts). Routes name a refusal (`refuse`), and answer an
 * actor's `{ ok: false, code }` by mapping each code to one (`refuseResult`);
 * no route writes these statuses or messages itself. A refusal particular to
 * one route's own check (a field it validates, a row it looks up) stays beside
 * that check, with `apiError`.
 */
import { type ArgsOf, type PlainRefusal, type RefusalName, refusalIn } from "../../shared/refusals";
import { apiError, callerLanguage } from "./http";

export { REFUSALS, type Refusal, refusal } from "../../shared/refusals";

/**
 * Answers the named refusal, in the caller's language: throws the HTTPException
 * whose response is its `ApiError`.
 */
export function refuse<N extends RefusalName>(name: N, ...args: ArgsOf<N>): never {
  const { status, code, message, fields } = refusalIn(callerLanguage(), name, ...args);
  apiError(status, code, message, fields);
}

/**
 * Answers an actor's refusal: `map` names the refusal for each code the actor
 * method can return (every one: a new code does not compile until it is mapped).
 */
export function refuseResult<C extends string>(code: C, map: Record<C, PlainRefusal>): never {
  const name: PlainRefusal = map[code];
  refuse(name);
}
