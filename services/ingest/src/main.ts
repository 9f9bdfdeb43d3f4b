import { startSecuredService } from '@nexo/auth';
import { createDocumentValidator } from '@nexo/fhir';
import { newId } from '@nexo/runtime';
import { build } from './app.ts';

await startSecuredService({ name: 'nexo-ingest', title: 'ingest' }, ({ config, engines, security, logger }) =>
  build(config, {
    store: engines.store,
    readStore: engines.readStore,
    validator: createDocumentValidator(),
    clock: () => new Date(),
    newId,
    logger,
    security,
  }),
);
