/** The ReadStore contract: revisions, atomic commits with checkpoints, getMany, clear, restarts. */
import { expect, it } from 'vitest';
import type { DocumentWrite } from '@nexo/readstore';
import { READSTORE_ERRORS } from '@nexo/readstore';
import type { ReadStoreFactory } from './harness.ts';
import { contractSuite } from './harness.ts';
import { findCases } from './read-store-find.contract.ts';

const put = (collection: string, id: string, expectedRevision: number, body: unknown): DocumentWrite => ({
  kind: 'put',
  collection,
  id,
  expectedRevision,
  body,
});

const remove = (collection: string, id: string, expectedRevision: number): DocumentWrite => ({
  kind: 'delete',
  collection,
  id,
  expectedRevision,
});

export const readStoreContract = (name: string, factory: ReadStoreFactory): void => {
  contractSuite(`${name}: read store contract`, factory, (harness) => {
    it('stores a document at revision 1 and reads it back; a missing one reads as undefined', async () => {
      const { engine: store } = await harness.fresh();
      const body = {
        citizen: 'cns:700000000000001',
        doses: [{ vaccine: 'BCG', at: '2024-01-02' }],
        ok: true,
      };
      await store.commit([put('cards', 'c1', 0, body)]);
      expect(await store.get('cards', 'c1')).toEqual({ collection: 'cards', id: 'c1', revision: 1, body });
      expect(await store.get('cards', 'c2')).toBeUndefined();
      expect(await store.get('other', 'c1')).toBeUndefined();
    });

    it('increments the revision on each write', async () => {
      const { engine: store } = await harness.fresh();
      await store.commit([put('cards', 'c1', 0, { n: 1 })]);
      await store.commit([put('cards', 'c1', 1, { n: 2 })]);
      await store.commit([put('cards', 'c1', 2, { n: 3 })]);
      expect(await store.get('cards', 'c1')).toEqual({
        collection: 'cards',
        id: 'c1',
        revision: 3,
        body: { n: 3 },
      });
    });

    it('applies the writes of one commit in order, so a commit may write a document twice', async () => {
      const { engine: store } = await harness.fresh();
      await store.commit([put('cards', 'c1', 0, { n: 1 }), put('cards', 'c1', 1, { n: 2 })]);
      expect(await store.get('cards', 'c1')).toMatchObject({ revision: 2, body: { n: 2 } });
    });

    it('rejects a stale expected revision with NEXO_ERR_REVISION_CONFLICT and applies nothing', async () => {
      const { engine: store } = await harness.fresh();
      await store.commit([put('cards', 'c1', 0, { n: 1 })], { consumer: 'projector', position: '10' });
      const commit = store.commit(
        [put('cards', 'c2', 0, { n: 1 }), remove('cards', 'c1', 1), put('cards', 'c1', 5, { n: 9 })],
        { consumer: 'projector', position: '11' },
      );
      await expect(commit).rejects.toMatchObject({
        code: READSTORE_ERRORS.revisionConflict,
        collection: 'cards',
        id: 'c1',
        expectedRevision: 5,
        actualRevision: 0,
      });
      await expect(store.commit([put('cards', 'c1', 0, { n: 2 })])).rejects.toMatchObject({
        code: READSTORE_ERRORS.revisionConflict,
        expectedRevision: 0,
        actualRevision: 1,
      });
      expect(await store.get('cards', 'c1')).toMatchObject({ revision: 1, body: { n: 1 } });
      expect(await store.get('cards', 'c2')).toBeUndefined();
      expect(await store.getCheckpoint('projector')).toBe('10');
    });

    it('deletes a document at its expected revision; a later put starts again at revision 1', async () => {
      const { engine: store } = await harness.fresh();
      await store.commit([put('cards', 'c1', 0, { n: 1 }), put('cards', 'c1', 1, { n: 2 })]);
      await expect(store.commit([remove('cards', 'c1', 1)])).rejects.toMatchObject({
        code: READSTORE_ERRORS.revisionConflict,
      });
      await store.commit([remove('cards', 'c1', 2)]);
      expect(await store.get('cards', 'c1')).toBeUndefined();
      await store.commit([put('cards', 'c1', 0, { n: 3 })]);
      expect(await store.get('cards', 'c1')).toMatchObject({ revision: 1, body: { n: 3 } });
    });

    it('saves the checkpoint atomically with the writes; a failed commit keeps the old one', async () => {
      const { engine: store } = await harness.fresh();
      expect(await store.getCheckpoint('projector')).toBeUndefined();
      await store.commit([put('cards', 'c1', 0, {})], { consumer: 'projector', position: '3' });
      expect(await store.getCheckpoint('projector')).toBe('3');
      await store.commit([], { consumer: 'projector', position: '{"topic":[4,5]}' });
      expect(await store.getCheckpoint('projector')).toBe('{"topic":[4,5]}');
      await store.commit([put('cards', 'c2', 0, {})]);
      expect(await store.getCheckpoint('projector')).toBe('{"topic":[4,5]}');
      await expect(
        store.commit([put('cards', 'c3', 0, {}), put('cards', 'c1', 0, {})], {
          consumer: 'projector',
          position: '9',
        }),
      ).rejects.toMatchObject({ code: READSTORE_ERRORS.revisionConflict });
      expect(await store.getCheckpoint('projector')).toBe('{"topic":[4,5]}');
      expect(await store.get('cards', 'c3')).toBeUndefined();
      expect(await store.getCheckpoint('audit')).toBeUndefined();
    });

    it('getMany returns the documents that exist, in the order asked', async () => {
      const { engine: store } = await harness.fresh();
      await store.commit([
        put('cards', 'a', 0, { n: 'a' }),
        put('cards', 'b', 0, { n: 'b' }),
        put('x', 'c', 0, {}),
      ]);
      const found = await store.getMany('cards', ['b', 'missing', 'a', 'c']);
      expect(found.map((document) => document.id)).toEqual(['b', 'a']);
      expect(found[0]).toEqual({ collection: 'cards', id: 'b', revision: 1, body: { n: 'b' } });
      expect(await store.getMany('cards', [])).toEqual([]);
    });

    it('clear drops every document and checkpoint, and the store is usable afterwards', async () => {
      const { engine: store } = await harness.fresh();
      await store.ensureIndexes([{ collection: 'cards', field: 'citizen', sortBy: 'at' }]);
      await store.commit([put('cards', 'c1', 0, { citizen: 'x', at: '1' }), put('other', 'o1', 0, {})], {
        consumer: 'projector',
        position: '7',
      });
      await store.clear();
      expect(await store.get('cards', 'c1')).toBeUndefined();
      expect(await store.get('other', 'o1')).toBeUndefined();
      expect(await store.getCheckpoint('projector')).toBeUndefined();
      expect(await store.find({ collection: 'cards', field: 'citizen', value: 'x', limit: 10 })).toEqual({
        documents: [],
      });
      await store.commit([put('cards', 'c1', 0, { citizen: 'x', at: '2' })]);
      const page = await store.find({ collection: 'cards', field: 'citizen', value: 'x', limit: 10 });
      expect(page.documents.map((document) => document.revision)).toEqual([1]);
    });

    it('keeps documents, checkpoints and indexes across close and reopen', async () => {
      const opened = await harness.fresh();
      await opened.engine.ensureIndexes([{ collection: 'cards', field: 'citizen', sortBy: 'at' }]);
      await opened.engine.commit(
        [put('cards', 'c1', 0, { citizen: 'x', at: '1' }), put('cards', 'c2', 0, { citizen: 'x', at: '2' })],
        { consumer: 'projector', position: '12' },
      );
      const store = await opened.reopen();
      expect(await store.get('cards', 'c1')).toEqual({
        collection: 'cards',
        id: 'c1',
        revision: 1,
        body: { citizen: 'x', at: '1' },
      });
      expect(await store.getCheckpoint('projector')).toBe('12');
      const page = await store.find({ collection: 'cards', field: 'citizen', value: 'x', limit: 10 });
      expect(page.documents.map((document) => document.id)).toEqual(['c2', 'c1']);
    });

    findCases(harness);
  });
};
