// A commit's writes as the calling thread sends them to the writer thread (threaded-writer.ts,
// writer-thread.mjs): four parallel arrays rather than one object per write. postMessage clones
// each object with its property names, and a rebuild's flush carries 20,000 writes: one list per
// field is cloned as strings and numbers only. Plain JavaScript, so the writer thread needs no
// TypeScript loader whatever runs the main thread.
import { bodyJson } from './body-json.mjs';

/** Packs the writes, serialising each put's body (a delete's JSON is null). */
export const packWrites = (writes) => {
  const packed = { collections: [], ids: [], expectedRevisions: [], jsons: [] };
  for (const write of writes) {
    packed.collections.push(write.collection);
    packed.ids.push(write.id);
    packed.expectedRevisions.push(write.expectedRevision);
    packed.jsons.push(write.kind === 'put' ? bodyJson(write) : null);
  }
  return packed;
};

/** The writes again, as the write transactions take them (each put with its JSON, no body). */
export const unpackWrites = ({ collections, ids, expectedRevisions, jsons }) =>
  collections.map((collection, i) => {
    const json = jsons[i];
    const write = { collection, id: ids[i], expectedRevision: expectedRevisions[i] };
    return json === null ? { kind: 'delete', ...write } : { kind: 'put', ...write, json };
  });
