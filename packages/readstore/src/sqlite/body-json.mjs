// The JSON a put stores, serialised on the calling thread before a commit reaches the writer
// thread, or inside the transaction when the calling thread writes itself. Plain JavaScript, so
// both share it (see write-transactions.mjs).

export const bodyJson = (write) => {
  const json = JSON.stringify(write.body);
  if (typeof json !== 'string') throw new TypeError(`${write.collection}/${write.id} has no JSON body`);
  return json;
};
