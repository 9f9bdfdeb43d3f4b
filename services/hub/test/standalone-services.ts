/**
 * The ingest service and the citizen API each on its own, as the distributed mode runs them
 * (`docker compose`), over one data folder's engines: embedded ones stand in for MongoDB and Kafka,
 * the services' code is the same. Tests inject into the apps or make them listen.
 */
import type { DestinationStream } from 'pino';
import type { FastifyInstance } from 'fastify';
import { openSecurity, type Security } from '@nexo/auth';
import { build as buildCitizen, defaultCertificateKeyFile, loadCertificateSigner } from '@nexo/citizen';
import { createDocumentValidator } from '@nexo/fhir';
import { build as buildIngest } from '@nexo/ingest';
import { createLogger, loadConfig, newId, openEngines, type Engines } from '@nexo/runtime';

export interface StandaloneServices {
  readonly ingest: FastifyInstance;
  readonly citizen: FastifyInstance;
  readonly engines: Engines;
  close(): Promise<void>;
}

/** Opens the engines under `dataDir` with `env` on top of the defaults, and builds both services. */
export const buildStandaloneServices = async (
  dataDir: string,
  env: Record<string, string> = {},
): Promise<StandaloneServices> => {
  const config = loadConfig({ NEXO_DATA_DIR: dataDir, ...env });
  const logger = createLogger({
    level: 'warn',
    name: 'test',
    destination: { write: () => undefined } as unknown as DestinationStream,
  });
  const engines = await openEngines(config);
  let security: Security | undefined;
  try {
    security = await openSecurity(config, { store: engines.store, newId });
    const clock = () => new Date();
    const ingest = await buildIngest(config, {
      store: engines.store,
      readStore: engines.readStore,
      validator: createDocumentValidator(),
      clock,
      newId,
      logger,
      security,
    });
    const citizen = await buildCitizen(config, {
      store: engines.store,
      readStore: engines.readStore,
      clock,
      signer: loadCertificateSigner(defaultCertificateKeyFile(dataDir)),
      publicUrl: config.publicUrl,
      logger,
      security,
    });
    const opened = security;
    return {
      ingest,
      citizen,
      engines,
      close: async () => {
        await ingest.close();
        await citizen.close();
        await opened.close();
        await engines.close();
      },
    };
  } catch (error) {
    await security?.close();
    await engines.close();
    throw error;
  }
};
