import type { ReadStore } from '@nexo/readstore';
import { COLLECTIONS, type CitizenRecords, type EstablishmentNameOf } from '@nexo/domain';

/** The registered names of the establishments that sent the citizen's records, in one multi-get. */
export const establishmentNames = async (
  readStore: ReadStore,
  view: CitizenRecords,
): Promise<EstablishmentNameOf> => {
  const cnes = [...new Set(Object.values(view.records).map((r) => r.establishment))];
  if (cnes.length === 0) return () => undefined;
  const docs = await readStore.getMany<{ name: string }>(COLLECTIONS.establishments, cnes);
  const names = new Map(docs.map((d) => [d.id, d.body.name]));
  return (code) => names.get(code);
};
