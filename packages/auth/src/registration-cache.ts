import { revocationOf, type EstablishmentState, type TokenRevocation } from './establishments.ts';
import type { SenderToken } from './sender-tokens.ts';
import type { TokenCheck } from './token-failure.ts';

/**
 * How old a cached registration may be when a submission's token is checked against it. A
 * disable committed by another process (the CLI, another ingest instance's admin API) refuses the
 * establishment's tokens here at most this long after the commit; one made through this process's
 * registry applies at once (`forget`). docs/security.md and ADR 0011 state the same bound.
 */
export const REGISTRATION_MAX_AGE_MS = 1_000;

/** What a token check and an author check need of a registration. */
export type Standing = Pick<EstablishmentState, 'active' | 'registration' | 'credential' | 'authors'>;

interface Entry {
  readonly standing: Standing;
  /** When the read that produced it started (a read sees every change committed before that). */
  readonly readAt: number;
}

/** The audit trail's reason for each revocation class. */
const REVOCATION_REASONS: Readonly<Record<TokenRevocation, string>> = {
  disabled: 'token revoked: establishment disabled',
  reregistered: 'token revoked: establishment registered again since it was issued',
  rotated: 'token revoked: secret rotated since it was issued',
};

export interface RegistrationCache {
  /** The token's CNES when its registration is still active; why not (revoked) otherwise. */
  admit(token: SenderToken): Promise<TokenCheck<string>>;
  /**
   * The establishment's registration as of at most `maxAgeMs` ago (the identities it may author
   * REL documents under, for the author check), read again when older.
   */
  lookUp(cnes: string): Promise<Standing>;
  /** Drops what is known of `cnes` and any read of it under way: the next check reads it again. */
  forget(cnes: string): void;
}

export interface RegistrationCacheDeps {
  /** One establishment's registration, read from the event store (`readRegistration`). */
  readonly read: (cnes: string) => Promise<EstablishmentState>;
  /** A monotonic clock in milliseconds (`performance.now` by default). */
  readonly now?: () => number;
  readonly maxAgeMs?: number;
}

/**
 * The registrations of the establishments whose tokens this process sees, each read from its
 * stream (a handful of events, one indexed read) at most once per `maxAgeMs` while the
 * establishment is sending, never per request and never by following the whole event log (whose
 * events carry whole Bundles: ADR 0011). Entries are never evicted; there is at most one per
 * registered establishment, since only tokens signed by the hub reach `admit`.
 */
export const createRegistrationCache = (deps: RegistrationCacheDeps): RegistrationCache => {
  const now = deps.now ?? (() => performance.now());
  const maxAgeMs = deps.maxAgeMs ?? REGISTRATION_MAX_AGE_MS;
  const entries = new Map<string, Entry>();
  const reading = new Map<string, Promise<Standing>>();

  /** One read per establishment at a time; a read overtaken by `forget` is not kept. */
  const refresh = (cnes: string): Promise<Standing> => {
    const pending = reading.get(cnes);
    if (pending) return pending;
    const readAt = now();
    const read: Promise<Standing> = deps.read(cnes).then(
      ({ active, registration, credential, authors }) => {
        const standing = { active, registration, credential, authors };
        if (reading.get(cnes) === read) {
          reading.delete(cnes);
          entries.set(cnes, { standing, readAt });
        }
        return standing;
      },
      (err: unknown) => {
        if (reading.get(cnes) === read) reading.delete(cnes);
        throw err;
      },
    );
    reading.set(cnes, read);
    return read;
  };

  const current = async (cnes: string): Promise<Standing> => {
    const entry = entries.get(cnes);
    return entry !== undefined && now() - entry.readAt < maxAgeMs ? entry.standing : refresh(cnes);
  };

  return {
    lookUp: current,
    admit: async (token) => {
      const { cnes } = token;
      let standing = await current(cnes);
      // A token newer than what is known was issued after the read (a registration or a rotation
      // made since): read again rather than refuse it.
      if (token.registration > standing.registration || token.credential > standing.credential)
        standing = await refresh(cnes);
      const revoked = revocationOf(standing, token);
      if (revoked === undefined) return { ok: true, value: cnes };
      return {
        ok: false,
        revoked,
        reason: REVOCATION_REASONS[revoked],
        claimed: { kind: 'establishment', id: cnes },
      };
    },
    forget: (cnes) => {
      entries.delete(cnes);
      reading.delete(cnes);
    },
  };
};
