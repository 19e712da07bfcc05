/**
 * What the number caches of D1: its details, settings and skillsets, read
 * again when an administrator changes them (`configChanged`) and at least
 * every CONFIG_TTL_MS, should that call be lost. A number deleted from D1 is
 * forgotten.
 */
import { desc, eq } from "drizzle-orm";
import type { D1Db } from "../../platform/db/d1";
import { managedNumbers, skillsets } from "../../platform/db/schema";
import type { WorkingTime } from "../../shared/admin";
import { alwaysOpenWorkingTime, readSettings } from "../../shared/number-settings";
import type { NumberConfig, NumberInfo } from "../contracts";
import type { KvCell } from "../sql";

/** Cached configuration is re-read at least this often, should a configChanged call be lost. */
const CONFIG_TTL_MS = 5 * 60 * 1000;

/**
 * What the actor caches of D1: the number, its settings, its skillsets, and
 * its access token as D1 holds it (sealed: src/platform/secrets.ts), which the
 * number hands its conversations with their messages so their sends read no D1.
 */
export type CachedConfig = {
  number: NumberInfo;
  config: NumberConfig;
  skillsets: { id: string; name: string }[];
  /** Absent in a cache stored before it was kept. */
  sealedToken?: string | null;
  loadedAt: number;
};

/** What the cache needs of the actor: D1, the clock, and the two stored cells it keeps current. */
export interface ConfigCacheDeps {
  d1: D1Db;
  now: () => number;
  numberCell: KvCell<NumberInfo>;
  configCell: KvCell<CachedConfig>;
}

/** The number's cached configuration (see the module comment). */
export class ConfigCache {
  constructor(private readonly deps: ConfigCacheDeps) {}

  /** What is cached, however old (no D1 read). */
  peek(): CachedConfig | null {
    return this.deps.configCell.get();
  }

  /** The configuration, cached from D1 (reloaded by `load` and after CONFIG_TTL_MS). */
  async get(number: NumberInfo): Promise<CachedConfig | null> {
    const cached = this.deps.configCell.get();
    if (cached && this.deps.now() - cached.loadedAt < CONFIG_TTL_MS) return cached;
    return (await this.load(number.id)) ?? cached;
  }

  /** The number's working time (always open until one is known). */
  async workingTime(number: NumberInfo): Promise<WorkingTime> {
    return (await this.get(number))?.config.settings.workingTime ?? alwaysOpenWorkingTime();
  }

  /**
   * Reads the number's info, settings and skillsets from D1 into the cache. A
   * number that no longer exists is forgotten (nothing more is routed).
   */
  async load(numberId: string): Promise<CachedConfig | null> {
    const { d1: db, now, numberCell, configCell } = this.deps;
    const [row, list] = await Promise.all([
      db
        .select({
          id: managedNumbers.id,
          tenantId: managedNumbers.tenantId,
          phoneNumberId: managedNumbers.phoneNumberId,
          displayPhone: managedNumbers.displayPhone,
          name: managedNumbers.name,
          settings: managedNumbers.settings,
          sealedToken: managedNumbers.accessToken,
        })
        .from(managedNumbers)
        .where(eq(managedNumbers.id, numberId))
        .get(),
      db
        .select({
          id: skillsets.id,
          name: skillsets.name,
          isDefault: skillsets.isDefault,
          botLabel: skillsets.botLabel,
        })
        .from(skillsets)
        .where(eq(skillsets.numberId, numberId))
        .orderBy(desc(skillsets.priority), skillsets.name, skillsets.id),
    ]);
    if (!row) {
      numberCell.delete();
      configCell.delete();
      return null;
    }
    const { settings, sealedToken, ...number } = row;
    const loaded: CachedConfig = {
      number,
      config: {
        settings: readSettings(settings),
        botOptions: list.flatMap((s) =>
          s.botLabel ? [{ skillsetId: s.id, label: s.botLabel }] : [],
        ),
        defaultSkillsetId: list.find((s) => s.isDefault)?.id ?? null,
      },
      skillsets: list.map((s) => ({ id: s.id, name: s.name })),
      sealedToken,
      loadedAt: now(),
    };
    numberCell.set(number);
    configCell.set(loaded);
    return loaded;
  }
}
