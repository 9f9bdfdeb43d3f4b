import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '@nexo/auth';
import type { ReadModelsCaughtUp } from '@nexo/readstore';
import { citizenServiceRoutes, defaultCertificateKeyFile, loadCertificateSigner } from '@nexo/citizen';
import { correctionInboxRoutes } from '@nexo/ingest';
import { startCorrectionDeadlines, type CorrectionDeadlines } from '@nexo/projector';
import { newId, type Engines, type Logger } from '@nexo/runtime';

export interface CitizenServicesConfig {
  readonly dataDir: string;
  /** Base of the verification links printed on certificates (NEXO_PUBLIC_URL). */
  readonly publicUrl?: string;
}

/**
 * The citizen services on the hub: the COVID-19 certificate and its public verification (the
 * signing key under the data folder), correction requests on both sides, and the scheduler that
 * closes answered requests nobody reacted to. Routes first; `startDeadlines` once the projector runs.
 */
export const registerCitizenServices = async (
  app: FastifyInstance,
  config: CitizenServicesConfig,
  deps: {
    readonly engines: Engines;
    readonly auth: Authenticator;
    readonly clock: () => Date;
    readonly logger: Logger;
    /** The hub's projector caught up: a correction request about a record just accepted waits for it. */
    readonly readModelsCaughtUp: ReadModelsCaughtUp;
  },
): Promise<{ startDeadlines: () => CorrectionDeadlines }> => {
  const { store, readStore } = deps.engines;
  const commands = { store, readStore, clock: deps.clock, newId, auth: deps.auth };
  await app.register(
    citizenServiceRoutes({
      ...commands,
      readModelsCaughtUp: deps.readModelsCaughtUp,
      signer: loadCertificateSigner(defaultCertificateKeyFile(config.dataDir)),
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    }),
  );
  await app.register(correctionInboxRoutes(commands));
  return {
    startDeadlines: () =>
      startCorrectionDeadlines({
        store,
        readStore,
        clock: deps.clock,
        newId,
        onError: (err) => deps.logger.error({ err }, 'correction deadline sweep failed'),
      }),
  };
};
