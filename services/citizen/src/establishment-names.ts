import type { ReadStore } from '@nexo/readstore';
import { COLLECTIONS, type CitizenRecords, type EstablishmentNameOf } from '@nexo/domain';

/** How long a name read from the registry's projection is used before it is read again. */
const NAME_MAX_AGE_MS = 1_000;
/** Names kept at most; past it the cache starts over (the sending establishments are far fewer). */
const NAME_CACHE_CAPACITY = 20_000;

interface CachedName {
  readonly name: string | undefined;
  readonly readAt: number;
}

export type EstablishmentNames = (view: CitizenRecords) => Promise<EstablishmentNameOf>;

/**
 * The registered names of the establishments that sent a citizen's records. Every citizen read
 * needs them, and the same few establishments send most records: names read within the last second
 * are reused, the others come in one multi-get. A renamed establishment shows its new name within
 * a second, as a registry change reaches the sender checks (registration-cache.ts).
 */
export const establishmentNamesOf = (
  readStore: ReadStore,
  now: () => number = Date.now,
): EstablishmentNames => {
  const cache = new Map<string, CachedName>();
  return async (view) => {
    const at = now();
    const cnes = [...new Set(Object.values(view.records).map((r) => r.establishment))];
    const stale = cnes.filter((code) => {
      const cached = cache.get(code);
      return cached === undefined || at - cached.readAt >= NAME_MAX_AGE_MS;
    });
    if (stale.length > 0) {
      const docs = await readStore.getMany<{ name: string }>(COLLECTIONS.establishments, stale);
      const found = new Map(docs.map((d) => [d.id, d.body.name]));
      if (cache.size + stale.length > NAME_CACHE_CAPACITY) cache.clear();
      for (const code of stale) cache.set(code, { name: found.get(code), readAt: at });
    }
    const names = new Map(cnes.map((code) => [code, cache.get(code)?.name]));
    return (code) => names.get(code);
  };
};
