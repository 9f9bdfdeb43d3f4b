/**
 * The establishment registry on the host:
 *   pnpm establishment:add --cnes 1234567 --name "UBS Centro"   prints the client secret once
 *   pnpm establishment:add --cnes 1234567 --name "Lab" --cnpj 11222333000181   also lets it author REL
 *     documents under that CNPJ (--cnpj and --cns repeat, or take a comma list)
 *   pnpm establishment:authors --cnes 1234567 --cnpj 11222333000181 --cns <CNS>   replaces that list
 *   pnpm establishment:authors --cnes 1234567 --clear                            CNES only again
 *   pnpm establishment:rotate --cnes 1234567                    prints a new secret; the old one and its tokens stop working
 *   pnpm establishment:disable --cnes 1234567 --reason "closed"   no new tokens; running hubs and ingest
 *     services refuse the tokens it holds within REGISTRATION_MAX_AGE_MS (1 s)
 * It appends to the event store under NEXO_DATA_DIR (safe while the hub runs: SQLite is shared
 * between processes). Exit status 0 on success, 1 when refused, 2 on a usage error.
 */
import { isNexoError } from '@nexo/fhir';
import {
  exitUnlessEventLog,
  loadConfigOrExit,
  missingEventLog,
  newId,
  openEngines,
  parseCliArgs,
} from '@nexo/runtime';
import type { EstablishmentAuthors } from './establishments.ts';
import { REGISTRATION_MAX_AGE_MS } from './registration-cache.ts';
import { checkAuthors, createEstablishmentRegistry } from './registry.ts';

const USAGE = [
  'usage: establishment-cli add --cnes <CNES> --name <name> [--cnpj <CNPJ>]... [--cns <CNS>]...',
  '     | authors --cnes <CNES> ([--cnpj <CNPJ>]... [--cns <CNS>]... | --clear)',
  '     | rotate --cnes <CNES> | disable --cnes <CNES> --reason <text>',
].join('\n');

const { positionals, values } = parseCliArgs(
  {
    allowPositionals: true,
    options: {
      cnes: { type: 'string' },
      name: { type: 'string' },
      reason: { type: 'string' },
      cnpj: { type: 'string', multiple: true },
      cns: { type: 'string', multiple: true },
      clear: { type: 'boolean' },
    },
    strict: true,
  },
  USAGE,
);
const command = positionals[0];
const list = (given: string[] | undefined) => given?.flatMap((v) => v.split(',')).map((v) => v.trim());
const authors = { cnpj: list(values.cnpj), cns: list(values.cns) };
const givesAuthors = authors.cnpj !== undefined || authors.cns !== undefined;
if (
  !values.cnes ||
  !['add', 'authors', 'rotate', 'disable'].includes(command ?? '') ||
  (givesAuthors && !['add', 'authors'].includes(command ?? '')) ||
  (values.clear && command !== 'authors') ||
  (command === 'authors' && givesAuthors === Boolean(values.clear))
) {
  console.error(USAGE);
  process.exit(2);
}

const describe = (cnes: string, set: EstablishmentAuthors) =>
  [`CNES ${cnes}`, ...set.cnpj.map((n) => `CNPJ ${n}`), ...set.cns.map((n) => `CNS ${n}`)].join(', ');

const config = loadConfigOrExit();
// rotate, disable and authors change a registration the log already holds: on a folder without a
// log, NEXO_DATA_DIR is mistyped, and opening it would create an empty store. A first add may come
// before the hub's first start, so it goes on, and says the folder was new.
if (command !== 'add') exitUnlessEventLog(config);
const newDataFolder = missingEventLog(config) !== undefined;
const engines = await openEngines(config);
const registry = createEstablishmentRegistry({ store: engines.store, clock: () => new Date(), newId });
try {
  if (command === 'disable') {
    await registry.disable(values.cnes, values.reason ?? '', 'admin:cli');
    console.log(
      `establishment ${values.cnes} disabled: no new tokens, and the ones it holds are refused within ${REGISTRATION_MAX_AGE_MS / 1000} s`,
    );
  } else if (command === 'authors') {
    const set = await registry.setAuthors(values.cnes, authors, 'admin:cli');
    console.log(`establishment ${values.cnes} may author REL documents as ${describe(values.cnes, set)}`);
  } else {
    const issued =
      command === 'add'
        ? await registry.register(values.cnes, values.name ?? '', 'admin:cli', authors)
        : await registry.rotateSecret(values.cnes, 'admin:cli');
    console.log(`client_id=${issued.clientId}`);
    console.log(`client_secret=${issued.clientSecret}`);
    if (givesAuthors)
      console.error(`it may author REL documents as ${describe(values.cnes, checkAuthors(authors))}`);
    console.error('the secret is shown only now; store it in the establishment’s software');
    if (newDataFolder)
      console.error(
        `registered in a new data folder, ${config.dataDir}: start the hub with NEXO_DATA_DIR set to it`,
      );
  }
} catch (err) {
  console.error(isNexoError(err) ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await engines.close();
}
