import { isValidCnes, isValidCns, isValidCpf, type CitizenId } from '@nexo/identifiers';
import { NexoError } from '@nexo/fhir';

/**
 * Development tokens for the embedded mode and the demo (NEXO_AUTH_MODE=development):
 *   establishment: `Bearer dev-establishment-<CNES>`
 *   citizen:       `Bearer dev-citizen-cpf-<CPF>` or `Bearer dev-citizen-cns-<CNS>`
 * They carry no secret; signed tokens replace them outside development.
 */
type Headers = Readonly<Record<string, string | string[] | undefined>>;

const bearer = (headers: Headers): string | undefined => {
  // Software written for the national network sends its token in X-Authorization-Server.
  for (const name of ['authorization', 'x-authorization-server']) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    const match = text?.match(/^Bearer\s+(\S+)$/i);
    if (match?.[1]) return match[1];
  }
  return undefined;
};

const unauthenticated = (what: string): NexoError =>
  new NexoError(
    'NEXO_ERR_UNAUTHENTICATED',
    `a valid ${what} token is required in the Authorization header (Bearer).`,
  );

/** The CNES of the establishment the request speaks for. */
export const authenticateEstablishment = (headers: Headers): string => {
  const token = bearer(headers);
  const cnes = token?.match(/^dev-establishment-(\d{7})$/)?.[1];
  if (!cnes || !isValidCnes(cnes)) throw unauthenticated('establishment');
  return cnes;
};

/** The citizen the request speaks for. */
export const authenticateCitizen = (headers: Headers): CitizenId => {
  const token = bearer(headers);
  const match = token?.match(/^dev-citizen-(cpf|cns)-(\d+)$/);
  if (match?.[1] === 'cpf' && match[2] && isValidCpf(match[2])) return { kind: 'CPF', number: match[2] };
  if (match?.[1] === 'cns' && match[2] && isValidCns(match[2])) return { kind: 'CNS', number: match[2] };
  throw unauthenticated('citizen');
};
