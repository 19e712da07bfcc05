/**
 * For the `default` of a switch over a union: the compiler proves it
 * unreachable, and a value from a newer peer that slips through throws.
 */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
