/**
 * Fresh identifiers for tests: ids, customers' numbers, e-mail addresses and Meta's
 * account ids. Test files share one Meta simulator, whose phone threads are keyed by
 * the customer's number, so every value is random enough never to meet another
 * file's. Pure: usable in workerd and in Node.
 */

let counter = 0;
/** A unique id for this test file run. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A random Italian mobile (+39 33x …), as Meta's wa_id digits. */
export function phone(): string {
  return `3933${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

/** A random Italian mobile in E.164, as customers are stored and imported. */
export function mobile(): string {
  return `+${phone()}`;
}

/** A fresh, lower-case e-mail address of the test domain. */
export function emailAddress(prefix = "mail"): string {
  return `${uid(prefix)}@example.test`.toLowerCase();
}

/** A phone_number_id no other test uses (Meta's ids are unique across Parley). */
export function freshPhoneNumberId(): string {
  return String(100_000_000_000_000 + Math.floor(Math.random() * 899_999_999_999_999));
}

/** A WABA id of its own, so concurrent test files never drain each other's webhooks. */
export function freshWabaId(): string {
  return String(300000000000000 + Math.floor(Math.random() * 99999999999));
}
