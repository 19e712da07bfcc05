/**
 * Seeds made through the admin API (workerd), as an administrator would make them:
 * numbers that Meta (the simulator) proves, skillsets, customer properties and
 * working time.
 */
import type {
  CustomerPropertyView,
  NumberView,
  SkillsetView,
  TenantSettingsView,
  WorkingTime,
} from "../../src/shared/admin";
import type { ProfilingItem } from "../../src/worker/api/admin/profiling";
import { freshPhoneNumberId } from "./ids";
import { callJson, type Session } from "./session";
import { simAccount } from "./simulator";

/**
 * Creates a managed number through POST /api/admin/numbers (201 or the test
 * fails). The simulator first learns the number in its WABA (`overrides.wabaId`
 * or a fresh one) with a token granted on it (`overrides.accessToken` or a
 * fresh one), so the Worker's proof holds.
 */
export async function createNumber(
  admin: Session,
  overrides: Record<string, unknown> = {},
): Promise<NumberView> {
  const phoneNumberId = (overrides.phoneNumberId as string | undefined) ?? freshPhoneNumberId();
  const account = await simAccount({
    phoneNumberIds: [phoneNumberId],
    ...(typeof overrides.wabaId === "string" ? { wabaId: overrides.wabaId } : {}),
    ...(typeof overrides.accessToken === "string" ? { token: overrides.accessToken } : {}),
  });
  return callJson<NumberView>(
    admin,
    "POST",
    "/api/admin/numbers",
    {
      name: "Support",
      displayPhone: "+39 02 1234 5678",
      phoneNumberId,
      wabaId: account.wabaId,
      accessToken: account.token,
      ...overrides,
    },
    201,
  );
}

/**
 * Changes a number through PATCH /api/admin/numbers/:id (200 or the test fails),
 * with the version it has now; the saved number.
 */
export async function updateNumber(
  admin: Session,
  numberId: string,
  change: Record<string, unknown>,
): Promise<NumberView> {
  const path = `/api/admin/numbers/${numberId}`;
  const number = await callJson<NumberView>(admin, "GET", path, undefined, 200);
  return callJson<NumberView>(admin, "PATCH", path, { version: number.version, ...change }, 200);
}

/** Creates a skillset through POST /api/admin/skillsets (201 or the test fails). */
export function createSkillset(
  admin: Session,
  numberId: string,
  overrides: Record<string, unknown> = {},
): Promise<SkillsetView> {
  return callJson<SkillsetView>(
    admin,
    "POST",
    "/api/admin/skillsets",
    { numberId, name: "General", priority: 5, ...overrides },
    201,
  );
}

/** Adds a customer property to the number (201 or the test fails). */
export function addProperty(
  admin: Session,
  numberId: string,
  body: Record<string, unknown>,
): Promise<CustomerPropertyView> {
  return callJson<CustomerPropertyView>(
    admin,
    "POST",
    `/api/admin/numbers/${numberId}/properties`,
    body,
    201,
  );
}

/**
 * Adds a value to the number's profiling tree (a closing reason) under `parentId`
 * (201 or the test fails), with its children's label or notes when given.
 */
export function addProfilingValue(
  admin: Session,
  numberId: string,
  value: string,
  parentId: string | null = null,
  more: { childrenLabel?: string | null; notesAllowed?: boolean } = {},
): Promise<ProfilingItem> {
  return callJson<ProfilingItem>(
    admin,
    "POST",
    `/api/admin/numbers/${numberId}/profiling`,
    { value, parentId, ...more },
    201,
  );
}

/** Office hours: 09:00–18:00 Monday to Friday, closed at the weekend. */
export function officeWeek(): WorkingTime["week"] {
  const office = () => [{ open: "09:00", close: "18:00" }];
  return {
    mon: office(),
    tue: office(),
    wed: office(),
    thu: office(),
    fri: office(),
    sat: [],
    sun: [],
  };
}

/** A new number named `name` with `workingTime`, saved through the admin API. */
export async function numberWithHours(
  admin: Session,
  name: string,
  workingTime: WorkingTime,
): Promise<NumberView> {
  const number = await createNumber(admin, { name });
  return updateNumber(admin, number.id, { workingTime });
}

/** Turns the tenant's masking of sensitive data for agents on or off, as its admin does. */
export async function switchMasking(admin: Session, on: boolean): Promise<void> {
  const now = await callJson<TenantSettingsView>(
    admin,
    "GET",
    "/api/admin/settings",
    undefined,
    200,
  );
  await callJson(
    admin,
    "PATCH",
    "/api/admin/settings",
    { version: now.version, maskSensitiveData: on },
    200,
  );
}
