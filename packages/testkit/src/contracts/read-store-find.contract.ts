/**
 * The ReadStore `find` contract: documents whose indexed field equals a value, ordered by the sort
 * field descending then id descending (documents without a sort value last), in cursor pages that
 * together return every match exactly once.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { ReadStore, StoredDocument } from '@nexo/readstore';
import type { Harness } from './harness.ts';

const CARDS = { collection: 'cards', field: 'citizen', sortBy: 'meta.at' } as const;

interface Card {
  readonly citizen: string | string[];
  readonly meta: { readonly at?: string };
}

/** Every page of a query, following `next` until it is absent. */
export const findAll = async (store: ReadStore, value: string, limit: number): Promise<StoredDocument[]> => {
  const documents: StoredDocument[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages += 1) {
    const page = await store.find({ collection: CARDS.collection, field: CARDS.field, value, limit, cursor });
    expect(page.documents.length).toBeLessThanOrEqual(limit);
    documents.push(...page.documents);
    if (page.next === undefined) return documents;
    cursor = page.next;
  }
  throw new Error('find never returned a last page');
};

/** The contract's order: sort value descending, then id descending; missing sort values last. */
const expectedOrder = (cards: ReadonlyMap<string, Card>, value: string): string[] =>
  [...cards.entries()]
    .filter(([, card]) =>
      Array.isArray(card.citizen) ? card.citizen.includes(value) : card.citizen === value,
    )
    .sort(([idA, a], [idB, b]) => {
      const [atA, atB] = [a.meta.at, b.meta.at];
      if (atA !== atB) {
        if (atA === undefined) return 1;
        if (atB === undefined) return -1;
        return atA < atB ? 1 : -1;
      }
      return idA < idB ? 1 : idA > idB ? -1 : 0;
    })
    .map(([id]) => id);

const cardArbitrary = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{1,6}$/),
  citizen: fc.constantFrom('x', 'y', 'z'),
  at: fc.option(fc.constantFrom('2024-01-01', '2024-02-01', '2024-02-01T10:00:00Z', '2025-06-30'), {
    nil: undefined,
  }),
});

export const findCases = (harness: Harness<ReadStore>): void => {
  it('find: pages newest first by the sort field, covering every match exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(cardArbitrary, { selector: (card) => card.id, minLength: 0, maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        async (generated, limit, declareFirst) =>
          harness.scoped(async ({ engine: store }) => {
            if (declareFirst) await store.ensureIndexes([CARDS]);
            const cards = new Map<string, Card>(
              generated.map(({ id, citizen, at }) => [id, { citizen, meta: at === undefined ? {} : { at } }]),
            );
            const writes = [...cards].map(([id, body]) => ({
              kind: 'put' as const,
              collection: 'cards',
              id,
              expectedRevision: 0,
              body,
            }));
            if (writes.length > 0) await store.commit(writes);
            if (!declareFirst) await store.ensureIndexes([CARDS]);
            for (const value of ['x', 'y', 'z']) {
              const found = await findAll(store, value, limit);
              expect(found.map((document) => document.id)).toEqual(expectedOrder(cards, value));
              for (const document of found) expect(document.body).toEqual(cards.get(document.id));
            }
          }),
      ),
      { numRuns: 40 },
    );
  });

  it('find: follows updates and deletes, and ignores other collections', async () => {
    const { engine: store } = await harness.fresh();
    await store.ensureIndexes([CARDS, CARDS]);
    await store.commit([
      {
        kind: 'put',
        collection: 'cards',
        id: 'a',
        expectedRevision: 0,
        body: { citizen: 'x', meta: { at: '1' } },
      },
      {
        kind: 'put',
        collection: 'cards',
        id: 'b',
        expectedRevision: 0,
        body: { citizen: 'x', meta: { at: '2' } },
      },
      {
        kind: 'put',
        collection: 'cards',
        id: 'c',
        expectedRevision: 0,
        body: { citizen: 'x', meta: { at: '3' } },
      },
      {
        kind: 'put',
        collection: 'notes',
        id: 'd',
        expectedRevision: 0,
        body: { citizen: 'x', meta: { at: '4' } },
      },
    ]);
    await store.commit([
      {
        kind: 'put',
        collection: 'cards',
        id: 'a',
        expectedRevision: 1,
        body: { citizen: 'x', meta: { at: '9' } },
      },
      {
        kind: 'put',
        collection: 'cards',
        id: 'b',
        expectedRevision: 1,
        body: { citizen: 'y', meta: { at: '2' } },
      },
      { kind: 'delete', collection: 'cards', id: 'c', expectedRevision: 1 },
    ]);
    const x = await store.find({ collection: 'cards', field: 'citizen', value: 'x', limit: 10 });
    expect(x).toEqual({
      documents: [{ collection: 'cards', id: 'a', revision: 2, body: { citizen: 'x', meta: { at: '9' } } }],
    });
    const y = await store.find({ collection: 'cards', field: 'citizen', value: 'y', limit: 10 });
    expect(y.documents.map((document) => document.id)).toEqual(['b']);
  });

  it('find: a document whose field holds an array is found by each of its values', async () => {
    const { engine: store } = await harness.fresh();
    await store.ensureIndexes([CARDS]);
    const body = { citizen: ['x', 'y'], meta: { at: '1' } };
    await store.commit([{ kind: 'put', collection: 'cards', id: 'a', expectedRevision: 0, body }]);
    for (const value of ['x', 'y']) {
      const page = await store.find({ collection: 'cards', field: 'citizen', value, limit: 5 });
      expect(page.documents.map((document) => document.id)).toEqual(['a']);
    }
  });

  it('find: a cursor the store did not issue is refused with NEXO_ERR_INVALID_CURSOR', async () => {
    const { engine: store } = await harness.fresh();
    await store.ensureIndexes([CARDS]);
    for (const cursor of ['not-a-cursor', Buffer.from('{"x":1}').toString('base64url'), '']) {
      await expect(
        store.find({ collection: 'cards', field: 'citizen', value: 'x', limit: 5, cursor }),
      ).rejects.toMatchObject({ code: 'NEXO_ERR_INVALID_CURSOR' });
    }
  });
};
