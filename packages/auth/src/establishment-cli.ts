/**
 * The establishment registry on the host:
 *   pnpm establishment:add --cnes 1234567 --name "UBS Centro"   prints the client secret once
 *   pnpm establishment:rotate --cnes 1234567                    prints a new secret; the old one stops working
 *   pnpm establishment:disable --cnes 1234567 --reason "closed"
 * It appends to the event store under NEXO_DATA_DIR (safe while the hub runs: SQLite is shared
 * between processes). Exit status 0 on success, 1 when refused, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { isNexoError } from '@nexo/fhir';
import { loadConfig, newId, openEngines } from '@nexo/runtime';
import { createEstablishmentRegistry } from './registry.ts';

const USAGE =
  'usage: establishment-cli add --cnes <CNES> --name <name> | rotate --cnes <CNES> | disable --cnes <CNES> --reason <text>';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { cnes: { type: 'string' }, name: { type: 'string' }, reason: { type: 'string' } },
  strict: true,
});
const command = positionals[0];
if (!values.cnes || !['add', 'rotate', 'disable'].includes(command ?? '')) {
  console.error(USAGE);
  process.exit(2);
}

const engines = await openEngines(loadConfig());
const registry = createEstablishmentRegistry({ store: engines.store, clock: () => new Date(), newId });
try {
  if (command === 'disable') {
    await registry.disable(values.cnes, values.reason ?? '', 'admin:cli');
    console.log(`establishment ${values.cnes} disabled: its tokens expire within their lifetime`);
  } else {
    const issued =
      command === 'add'
        ? await registry.register(values.cnes, values.name ?? '', 'admin:cli')
        : await registry.rotateSecret(values.cnes, 'admin:cli');
    console.log(`client_id=${issued.clientId}`);
    console.log(`client_secret=${issued.clientSecret}`);
    console.error('the secret is shown only now; store it in the establishment’s software');
  }
} catch (err) {
  console.error(isNexoError(err) ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await engines.close();
}
