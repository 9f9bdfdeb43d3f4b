import { startSecuredService } from '@nexo/auth';
import { build } from './app.ts';
import { defaultCertificateKeyFile, loadCertificateSigner } from './certificate/signing.ts';

await startSecuredService(
  { name: 'nexo-citizen', title: 'citizen API' },
  ({ config, engines, security, logger }) =>
    build(config, {
      readStore: engines.readStore,
      store: engines.store,
      clock: () => new Date(),
      signer: loadCertificateSigner(defaultCertificateKeyFile(config.dataDir)),
      publicUrl: config.publicUrl,
      logger,
      security,
    }),
);
