import type { AuditActor } from '@nexo/audit';
import type { TokenRevocation } from './establishments.ts';

/** Why a token was refused: recorded in the audit trail, never the token itself. */
export interface TokenRefusal {
  readonly ok: false;
  readonly reason: string;
  readonly expired?: boolean;
  /** A well-signed token whose establishment's registration no longer admits it. */
  readonly revoked?: TokenRevocation;
  /** Who a well-signed but refused token speaks for (the audit entry's actor). */
  readonly claimed?: AuditActor;
  /** The issuer's keys could not be fetched: the hub, not the caller, is at fault (503). */
  readonly unavailable?: boolean;
}

/**
 * A token check: the principal it names (and, for a verified token, when it expires: its `exp`, in
 * seconds since the epoch), or why it was refused.
 */
export type TokenCheck<T> =
  { readonly ok: true; readonly value: T; readonly expiresAt?: number } | TokenRefusal;

/** The `expiresAt` of a verified token's check, from its `exp` claim (when it is a number). */
export const expiry = (exp: unknown): { readonly expiresAt?: number } =>
  typeof exp === 'number' && Number.isFinite(exp) ? { expiresAt: exp } : {};

/** Maps a verification error (jose's coded errors) to a refusal. */
export const tokenFailure = (err: unknown): TokenRefusal => {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return { ok: false, reason: 'expired token', expired: true };
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return { ok: false, reason: 'token not signed by a trusted key' };
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (err as { claim?: unknown }).claim;
      return { ok: false, reason: `token claim ${typeof claim === 'string' ? claim : '?'} rejected` };
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return { ok: false, reason: 'token algorithm not allowed' };
    case 'ERR_JOSE_NOT_SUPPORTED':
      // With the algorithm allowed, what is left unsupported is in the token: a critical header
      // extension, a key type the header names.
      return { ok: false, reason: 'token uses an unsupported feature' };
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return { ok: false, reason: 'issuer keys unavailable', unavailable: true };
    default:
      // jose's own errors are all coded ERR_J…; anything else (a failed fetch) is ours.
      return typeof code === 'string' && code.startsWith('ERR_J')
        ? { ok: false, reason: 'malformed token' }
        : { ok: false, reason: 'issuer keys unavailable', unavailable: true };
  }
};
