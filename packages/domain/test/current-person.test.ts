/** Following merges to the person an identifier names now (currentPerson). */
import { describe, expect, it } from 'vitest';
import { MAX_MERGE_HOPS, currentPerson, type Person } from '../src/index.ts';

const person = (personId: string, mergedInto?: string): Person => ({
  personId,
  identifiers: [],
  demographics: {},
  ...(mergedInto === undefined ? {} : { mergedInto }),
});

/** A registry of persons, read as the identity read model is, counting the reads. */
const registry = (persons: readonly Person[]) => {
  const byId = new Map(persons.map((p) => [p.personId, p]));
  const reads: string[] = [];
  return {
    reads,
    personOf: async (personId: string) => {
      reads.push(personId);
      return byId.get(personId);
    },
  };
};

describe('currentPerson', () => {
  it('follows merges to the survivor', async () => {
    const { personOf, reads } = registry([person('a', 'b'), person('b', 'c'), person('c')]);
    expect((await currentPerson('a', personOf))?.personId).toBe('c');
    expect(reads).toEqual(['a', 'b', 'c']);
  });

  it('is undefined for a person the registry does not know, or a merge into one', async () => {
    const { personOf } = registry([person('a', 'gone')]);
    expect(await currentPerson('nobody', personOf)).toBeUndefined();
    expect(await currentPerson('a', personOf)).toBeUndefined();
  });

  it(`stops after ${MAX_MERGE_HOPS} merges, even in a cycle`, async () => {
    const { personOf, reads } = registry([person('x', 'y'), person('y', 'x')]);
    const reached = await currentPerson('x', personOf);
    expect(reads).toHaveLength(MAX_MERGE_HOPS + 1);
    expect(reached?.personId).toBe(reads.at(-1));
  });
});
