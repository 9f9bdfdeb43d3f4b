import { NexoError } from '@nexo/fhir';

/** A `limit` query parameter: 20 when absent, otherwise an integer from 1 to `max` or a 400 naming it. */
export const parseLimitParam = (raw: string | undefined, max: number): number => {
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
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
