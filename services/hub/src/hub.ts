import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createDocumentValidator } from '@nexo/fhir';
import {
  EDGE_SERVER_OPTIONS,
  installFhirEdge,
  newId,
  openEngines,
  type Engines,
  type Logger,
  type NexoConfig,
} from '@nexo/runtime';
import type { Subscription } from '@nexo/eventstore';
import { senderRoutes } from '@nexo/ingest';
import { citizenRoutes } from '@nexo/citizen';
import type { CorrectionDeadlines } from '@nexo/projector';
import { startProjection } from './projector-thread.ts';
import { createHubMetrics } from './metrics.ts';
import { collectApiDescription, installOperability, type ProjectorState } from './operability.ts';
import { portalRoutes } from './portal/routes.ts';
import { registerCitizenServices, type CitizenServicesConfig } from './citizen-services.ts';
import { openSecurity, securitySettings, type Security, type SecuritySettings } from '@nexo/auth';

export interface Hub {
  readonly app: FastifyInstance;
  readonly engines: Engines;
  readonly projector: Subscription;
  /** Authentication, the audit trail and the establishment registry. */
  readonly security: Security;
  /** Closes answered correction requests nobody reacted to within 3 business days. */
  readonly correctionDeadlines: CorrectionDeadlines;
  /** Stops taking requests, lets in-flight ones finish, then stops the projector and the engines. */
  close(): Promise<void>;
}

/**
 * Ingest, projector and citizen API in one process on one port, on the engines the
 * configuration names (embedded SQLite by default). The app is ready but not listening.
 */
export const createHub = async (
  config: Pick<NexoConfig, 'dataDir' | 'bodyLimit' | 'identityFeedToken'> &
    Partial<Pick<NexoConfig, 'minFreeDiskMb'>> &
    Partial<SecuritySettings> &
    CitizenServicesConfig,
  deps: {
    readonly logger: Logger;
    readonly clock?: () => Date;
    /** Run the projector on its own thread (embedded engines only; see projector-thread.ts). */
    readonly projectorThread?: boolean;
  },
): Promise<Hub> => {
  const metrics = createHubMetrics();
  const engines = metrics.instrument(await openEngines(config));
  const validator = createDocumentValidator();
  const clock = deps.clock ?? (() => new Date());
  const security = await openSecurity(securitySettings(config), { store: engines.store, newId, clock });
  const app = Fastify({
    ...EDGE_SERVER_OPTIONS,
    ...security.serverOptions,
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimit,
    genReqId: () => newId(),
  });
  installFhirEdge(app);
  await collectApiDescription(app);
  await security.install(app);
  const projectorState: ProjectorState = { running: false };
  const projection: { subscription?: Subscription } = {};
  // The projector starts once the routes are registered: until then nothing waits for it.
  // Links in answers (Location, the CapabilityStatement) from NEXO_PUBLIC_URL, never from a Host header.
  const links = config.publicUrl ? { publicUrl: config.publicUrl } : {};
  const readModelsCaughtUp = () => projection.subscription?.caughtUp() ?? Promise.resolve();
  await installOperability(app, config, { engines, metrics, projector: projectorState });
  await app.register(
    senderRoutes({
      store: engines.store,
      readStore: engines.readStore,
      validator,
      registry: security.registrations,
      clock,
      newId,
      auth: security.auth,
      readModelsCaughtUp,
      feedToken: config.identityFeedToken,
      ...links,
    }),
  );
  await app.register(citizenRoutes({ readStore: engines.readStore, auth: security.auth }));
  const citizenServices = await registerCitizenServices(app, config, {
    engines,
    auth: security.auth,
    clock,
    logger: deps.logger,
    readModelsCaughtUp,
  });
  await app.register(portalRoutes());
  const started = await startProjection(config, engines, deps.projectorThread ?? false);
  projection.subscription = started;
  projectorState.running = true;
  const correctionDeadlines = citizenServices.startDeadlines();
  let closing: Promise<void> | undefined;
  return {
    app,
    engines,
    projector: started,
    security,
    correctionDeadlines,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await security.close();
        await correctionDeadlines.stop();
        projectorState.running = false;
        await started.stop();
        await engines.close();
      })()),
  };
};
