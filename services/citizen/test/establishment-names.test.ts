import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS, type CitizenRecord, type CitizenRecords } from '@nexo/domain';
import { openSqliteReadStore, type ReadStore } from '@nexo/readstore';
import { establishmentNamesOf } from '../src/establishment-names.ts';

const recordsFrom = (...establishments: string[]): CitizenRecords => ({
  citizenKey: 'cns:266764941990004',
  records: Object.fromEntries(
    establishments.map((establishment, i) => [`r${i}`, { establishment } as unknown as CitizenRecord]),
  ),
  streams: {},
});

describe('establishment names on the citizen read path', () => {
  const stores: ReadStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('reads each name once a second at most, and shows a rename after that second', async () => {
    const store = openSqliteReadStore({ file: ':memory:' });
    stores.push(store);
    const name = (cnes: string, text: string, expectedRevision: number) =>
      store.commit([
        {
          kind: 'put',
          collection: COLLECTIONS.establishments,
          id: cnes,
          expectedRevision,
          body: { name: text },
        },
      ]);
    await name('9990011', 'UBS Vila Nova', 0);
    const reads: string[][] = [];
    const counted: ReadStore = {
      ...store,
      getMany: (collection, ids) => {
        reads.push([...ids]);
        return store.getMany(collection, ids);
      },
    };
    let now = 1_000_000;
    const namesOf = establishmentNamesOf(counted, () => now);

    const first = await namesOf(recordsFrom('9990011', '9990011', '7654321'));
    expect([first('9990011'), first('7654321')]).toEqual(['UBS Vila Nova', undefined]);
    now += 999;
    await name('9990011', 'UBS Vila Nova II', 1);
    expect((await namesOf(recordsFrom('9990011')))('9990011')).toBe('UBS Vila Nova');
    now += 1;
    expect((await namesOf(recordsFrom('9990011', '7654321')))('9990011')).toBe('UBS Vila Nova II');
    expect(reads).toEqual([
      ['9990011', '7654321'],
      ['9990011', '7654321'],
    ]);
  });
});
