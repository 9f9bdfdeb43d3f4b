import type { FastifyRequest } from 'fastify';

/** What a sender may use as a correlation id: a short token, nothing that could break a log line. */
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/**
 * The correlation id of a request: the caller's `X-Correlation-Id` when it is such a token (its
 * first value when sent twice), else the request id. The events a request records and its audit
 * entry carry the same one, so a sender can follow a call of theirs through both.
 */
export const correlationIdOf = (request: FastifyRequest): string => {
  const header = request.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && CORRELATION_ID.test(value) ? value : request.id;
};
