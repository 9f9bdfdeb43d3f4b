import { openSecurity } from '@nexo/auth';
import {
  createLogger,
  describeConfig,
  loadConfigOrExit,
  newId,
  openEngines,
  closeOnSignals,
} from '@nexo/runtime';
import { build } from './app.ts';
import { defaultCertificateKeyFile, loadCertificateSigner } from './certificate/signing.ts';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'nexo-citizen' });
logger.info({ config: describeConfig(config) }, 'starting citizen API');
const engines = await openEngines(config);
const security = await openSecurity(config, { store: engines.store, newId });
const app = await build(config, {
  readStore: engines.readStore,
  store: engines.store,
  clock: () => new Date(),
  signer: loadCertificateSigner(defaultCertificateKeyFile(config.dataDir)),
  publicUrl: config.publicUrl,
  logger,
  security,
});
await app.listen({ host: config.host, port: config.port });
closeOnSignals(logger, [() => app.close(), () => security.close(), () => engines.close()]);
