import type { FastifyRequest } from 'fastify';

/**
 * Where the hub is reached from outside, for the links it answers with (Location, the
 * CapabilityStatement's URLs): the configured public URL (NEXO_PUBLIC_URL) when there is one, so a
 * client cannot choose them with its Host header; otherwise the address the request came to.
 */
export const publicOriginOf = (request: FastifyRequest, publicUrl: string | undefined): string =>
  publicUrl ?? `${request.protocol}://${request.host}`;
