/**
 * Signed citizen tokens for the card reads: what a citizen's portal sends in production, an OIDC
 * access token (ES256) whose subject is the CPF, here issued by the hub's development issuer from
 * its key in the data folder. So each read pays what production pays: the signature check, the
 * CPF resolved to the person through the registry's links, the records under both numbers.
 * Signing is the identity provider's work, done before the run, not in the load generator's loop.
 */
import { createDevIssuer, loadOrCreateSigningKey } from '@nexo/auth';
import { loadConfig } from '@nexo/runtime';
import { progress } from './progress.ts';

/**
 * The hub's public URL in the bench (NEXO_PUBLIC_URL): the development issuer's `iss` is derived
 * from it, so the tokens signed here and the hub that checks them must agree on it.
 */
export const BENCH_PUBLIC_URL = 'http://nexo-bench.localhost';

/**
 * Tokens for `count` citizens drawn at random among `cpfs` (with repeats, as reads of a population
 * arrive), signed with the key the hub over `dataDir` will use.
 */
export const issueCitizenTokens = async (
  dataDir: string,
  cpfs: readonly string[],
  count: number,
  random: () => number,
): Promise<string[]> => {
  if (cpfs.length === 0) throw new RangeError('no citizens to issue tokens for');
  const config = loadConfig({ NEXO_DATA_DIR: dataDir, NEXO_PUBLIC_URL: BENCH_PUBLIC_URL });
  const issuer = createDevIssuer(await loadOrCreateSigningKey(config.security.devIssuerKeyFile), {
    publicUrl: config.publicUrl,
    audience: config.security.citizenAudience,
    ttlSeconds: config.security.tokenTtlSeconds,
  });
  const bar = progress(`signing ${count} citizen tokens (ES256, subject = CPF)`);
  const started = performance.now();
  const tokens: string[] = [];
  while (tokens.length < count) {
    const cpf = cpfs[Math.floor(random() * cpfs.length)] as string;
    tokens.push((await issuer.issue(cpf)).token);
    bar.update(`${tokens.length}/${count} tokens`);
  }
  bar.done(`${count} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return tokens;
};
