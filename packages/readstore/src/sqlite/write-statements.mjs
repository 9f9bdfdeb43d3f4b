// The SQL the read store writes with, prepared once per writing connection: the calling thread's
// or the writer thread's (writer-thread.mjs). Plain JavaScript, so the thread needs no TypeScript
// loader whatever runs the main thread.

export const prepareWriteStatements = (db) => ({
  revision: db.prepare('SELECT revision FROM documents WHERE collection = ? AND id = ?').pluck(),
  upsert: db.prepare(
    `INSERT INTO documents (collection, id, revision, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (collection, id) DO UPDATE SET revision = excluded.revision, body = excluded.body`,
  ),
  remove: db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?'),
  unindexDocument: db.prepare('DELETE FROM document_index WHERE collection = ? AND id = ?'),
  unindexField: db.prepare('DELETE FROM document_index WHERE collection = ? AND field = ?'),
  indexEntry: db.prepare(
    'INSERT INTO document_index (collection, field, value, sort_key, id) VALUES (?, ?, ?, ?, ?)',
  ),
  collectionPage: db.prepare(
    'SELECT collection, id, revision, body FROM documents WHERE collection = ? AND id > ? ORDER BY id LIMIT ?',
  ),
  declarations: db.prepare('SELECT collection, field, sort_by AS sortBy FROM collection_indexes'),
  declare: db.prepare(
    `INSERT INTO collection_indexes (collection, field, sort_by) VALUES (?, ?, ?)
     ON CONFLICT (collection, field) DO UPDATE SET sort_by = excluded.sort_by`,
  ),
  saveCheckpoint: db.prepare(
    `INSERT INTO checkpoints (consumer, position) VALUES (?, ?)
     ON CONFLICT (consumer) DO UPDATE SET position = excluded.position`,
  ),
});
