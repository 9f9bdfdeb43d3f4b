import type { FastifyInstance } from 'fastify';
import { answerNoStore } from '@nexo/runtime';
import { fhirOperationRoutes } from './fhir-operations.ts';
import { identityFeedRoutes } from './identity-feed.ts';
import { ingestRoutes, type IngestRouteDeps } from './routes.ts';

/**
 * Every route the ingest side answers, on one set of dependencies, for the ingest service and the
 * hub alike: the senders' submissions and reads, the national registry's identity feed (which
 * writes the registry stream beside the submissions, its commands waiting on the identity read
 * model the projector keeps, see identity-read-model.ts), and the FHIR conformance operations.
 */
export const senderRoutes =
  (deps: IngestRouteDeps & { readonly feedToken: string }) => async (app: FastifyInstance) => {
    answerNoStore(app);
    await app.register(ingestRoutes(deps));
    await app.register(identityFeedRoutes(deps));
    await app.register(fhirOperationRoutes(deps));
  };
