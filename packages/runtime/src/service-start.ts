/**
 * What every service of the distributed mode does first: read its configuration (one line and
 * exit 2 when wrong), make its logger, say it starts, check its data folder, open its engines.
 */
import { withPortChosen } from './chosen-port.ts';
import { loadConfigOrExit } from './cli.ts';
import { describeConfig, type NexoConfig } from './config.ts';
import { exitUnlessDataFolderWritable } from './data-folder.ts';
import { openEngines, type Engines } from './engines.ts';
import { createLogger } from './logger.ts';

export interface OpenedService {
  readonly config: NexoConfig;
  readonly logger: ReturnType<typeof createLogger>;
  readonly engines: Engines;
}

export const openService = async (service: {
  /** The `service` field of its log lines: `nexo-ingest`. */
  readonly name: string;
  /** What the start line says it starts: `ingest`. */
  readonly title: string;
  /**
   * Whether it keeps files in the data folder whatever the engines (keys, the audit log), or only
   * on the embedded ones.
   */
  readonly dataFolder: 'always' | 'embedded engines';
}): Promise<OpenedService> => {
  const config = await withPortChosen(loadConfigOrExit());
  const logger = createLogger({ level: config.logLevel, name: service.name });
  logger.info({ config: describeConfig(config) }, `starting ${service.title}`);
  const embedded = config.eventEngine === 'sqlite' || config.readEngine === 'sqlite';
  if (service.dataFolder === 'always' || embedded) exitUnlessDataFolderWritable(config.dataDir, logger);
  return { config, logger, engines: await openEngines(config) };
};
