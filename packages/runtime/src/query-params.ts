import { NexoError } from '@nexo/fhir';
import { isInvalidCursor, type FindPage, type FindQuery, type ReadStore } from '@nexo/readstore';

/** A `limit` query parameter: 20 when absent, otherwise an integer from 1 to `max` or a 400 naming it. */
export const parseLimitParam = (raw: string | undefined, max: number): number => {
  if (raw === undefined) return 20;
  // Digits only: `Number` would also take "0x10", "1e1", "10.0" and "+5".
  const n = /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    throw new NexoError('NEXO_ERR_UNPARSABLE', [
      {
        code: 'NEXO_ERR_UNPARSABLE',
        expression: 'limit',
        message: `limit must be an integer from 1 to ${max}.`,
      },
    ]);
  }
  return n;
};

/** The 400 for a `cursor` query parameter the API did not issue (forged, truncated, from another list). */
export const invalidCursorParam = (): NexoError =>
  new NexoError('NEXO_ERR_UNPARSABLE', [
    {
      code: 'NEXO_ERR_UNPARSABLE',
      expression: 'cursor',
      message: 'cursor is not one this API issued; start again without it.',
    },
  ]);

/** A page of a read-store list for a query string's `cursor`: a cursor the store refuses is a 400, not a 500. */
export const findPageOfQuery = <T>(readStore: ReadStore, query: FindQuery): Promise<FindPage<T>> =>
  readStore.find<T>(query).catch((err: unknown) => {
    throw isInvalidCursor(err) ? invalidCursorParam() : err;
  });
