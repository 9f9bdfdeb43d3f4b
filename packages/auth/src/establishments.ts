import type { NewEvent, StoredEvent } from '@nexo/eventstore';
import type { Problem } from '@nexo/fhir';

/**
 * The sender registry as events (ADR 0005): one stream per establishment,
 * `establishment-<CNES>`, folded with `evolveEstablishment`; `decideEstablishment` says which
 * event a command produces. Pure: no I/O, no clock, no randomness (the secret's hash comes in
 * the command).
 */
export const ESTABLISHMENT_EVENTS = {
  registered: 'EstablishmentRegistered',
  secretRotated: 'EstablishmentSecretRotated',
  disabled: 'EstablishmentDisabled',
  authorsSet: 'EstablishmentAuthorsSet',
} as const;

export type EstablishmentEventType = (typeof ESTABLISHMENT_EVENTS)[keyof typeof ESTABLISHMENT_EVENTS];

export const ESTABLISHMENT_SCHEMA_VERSIONS: Readonly<Record<EstablishmentEventType, number>> = {
  EstablishmentRegistered: 1,
  EstablishmentSecretRotated: 1,
  EstablishmentDisabled: 1,
  EstablishmentAuthorsSet: 1,
};

export const establishmentStream = (cnes: string): string => `establishment-${cnes}`;

/**
 * The identities other than its CNES an establishment may name as `Composition.author` of an REL
 * document (`BRPessoaJuridicaProfissionalLiberal-1.0`): the laboratory's CNPJ, a self-employed
 * professional's CNS.
 */
export interface EstablishmentAuthors {
  readonly cnpj: readonly string[];
  readonly cns: readonly string[];
}

export const NO_AUTHORS: EstablishmentAuthors = { cnpj: [], cns: [] };

export interface EstablishmentRegisteredData {
  readonly cnes: string;
  readonly name: string;
  /** `scrypt$…` hash of the client secret; the secret itself is never stored. */
  readonly secretHash: string;
  /** Optional (added to v1): absent in events written before author identities existed. */
  readonly cnpj?: readonly string[];
  readonly cns?: readonly string[];
}

/** Replaces the whole list: the identities it names are the only ones besides the CNES. */
export interface EstablishmentAuthorsSetData extends EstablishmentAuthors {
  readonly cnes: string;
}

export interface EstablishmentSecretRotatedData {
  readonly cnes: string;
  readonly secretHash: string;
}

export interface EstablishmentDisabledData {
  readonly cnes: string;
  readonly reason: string;
}

export interface EstablishmentState {
  readonly version: number;
  readonly cnes?: string;
  readonly name?: string;
  readonly secretHash?: string;
  readonly active: boolean;
  /**
   * The stream version of the `EstablishmentRegistered` event the current (or last) registration
   * began with; 0 when never registered. Sender tokens carry it, so a token issued before a
   * disable stays refused after the establishment is registered again.
   */
  readonly registration: number;
  /**
   * The stream version of the event that set the current secret: the registration, or the last
   * `EstablishmentSecretRotated` since; 0 when never registered. Sender tokens carry it, so rotating
   * a secret (a leaked one) refuses the tokens obtained with the old one.
   */
  readonly credential: number;
  readonly authors: EstablishmentAuthors;
}

export const initialEstablishmentState = (): EstablishmentState => ({
  version: 0,
  active: false,
  registration: 0,
  credential: 0,
  authors: NO_AUTHORS,
});

/** Why a signed sender token no longer speaks for its establishment. */
export type TokenRevocation = 'disabled' | 'reregistered' | 'rotated';

/** What a sender token says it was issued under: the registration and the secret (their versions). */
export interface TokenGrant {
  readonly registration: number;
  readonly credential: number;
}

/**
 * Whether a sender token still speaks for the establishment: only while the registration and the
 * secret it was issued under are the current ones, and the registration is active. Undefined when
 * it does; the reason class when it does not (disabled since, registered again since, or secret
 * rotated since).
 */
export const revocationOf = (
  state: Pick<EstablishmentState, 'active' | 'registration' | 'credential'>,
  grant: TokenGrant,
): TokenRevocation | undefined => {
  if (!state.active) return 'disabled';
  if (grant.registration !== state.registration) return 'reregistered';
  return grant.credential === state.credential ? undefined : 'rotated';
};

/**
 * True when an active registration lists this CNPJ or CNS as one the establishment may author
 * under. A CNES author is never looked up here: it must be the token's CNES itself.
 */
export const mayAuthorAs = (
  state: Pick<EstablishmentState, 'active' | 'authors'>,
  author: { readonly kind: 'CNPJ' | 'CNS'; readonly number: string },
): boolean =>
  state.active && (author.kind === 'CNPJ' ? state.authors.cnpj : state.authors.cns).includes(author.number);

export const evolveEstablishment = (state: EstablishmentState, event: StoredEvent): EstablishmentState => {
  switch (event.type) {
    case ESTABLISHMENT_EVENTS.registered: {
      const data = event.data as EstablishmentRegisteredData;
      return {
        version: event.version,
        cnes: data.cnes,
        name: data.name,
        secretHash: data.secretHash,
        active: true,
        registration: event.version,
        credential: event.version,
        authors: { cnpj: data.cnpj ?? [], cns: data.cns ?? [] },
      };
    }
    case ESTABLISHMENT_EVENTS.secretRotated:
      return {
        ...state,
        version: event.version,
        credential: event.version,
        secretHash: (event.data as EstablishmentSecretRotatedData).secretHash,
      };
    case ESTABLISHMENT_EVENTS.disabled:
      return { ...state, version: event.version, active: false };
    case ESTABLISHMENT_EVENTS.authorsSet: {
      const data = event.data as EstablishmentAuthorsSetData;
      return { ...state, version: event.version, authors: { cnpj: data.cnpj, cns: data.cns } };
    }
    default:
      return { ...state, version: event.version };
  }
};

export type EstablishmentCommand =
  | {
      readonly kind: 'register';
      readonly cnes: string;
      readonly name: string;
      readonly secretHash: string;
      readonly authors?: EstablishmentAuthors;
    }
  | { readonly kind: 'rotate'; readonly cnes: string; readonly secretHash: string }
  | { readonly kind: 'disable'; readonly cnes: string; readonly reason: string }
  | { readonly kind: 'setAuthors'; readonly cnes: string; readonly authors: EstablishmentAuthors };

export type EstablishmentDecision =
  | { readonly ok: true; readonly type: EstablishmentEventType; readonly data: unknown }
  | { readonly ok: false; readonly problem: Problem };

/** Author identities are written only when there are some, so a plain registration is unchanged. */
const authorsData = (authors: EstablishmentAuthors | undefined) => ({
  ...(authors?.cnpj.length ? { cnpj: authors.cnpj } : {}),
  ...(authors?.cns.length ? { cns: authors.cns } : {}),
});

/**
 * Registering an active establishment again is a conflict (rotate its secret instead);
 * registering a disabled one re-enables it with a new secret and the author identities the
 * command gives (none carry over). Rotating, disabling or setting the author identities needs an
 * active registration.
 */
export const decideEstablishment = (
  command: EstablishmentCommand,
  state: EstablishmentState,
): EstablishmentDecision => {
  switch (command.kind) {
    case 'register':
      if (state.active)
        return {
          ok: false,
          problem: {
            code: 'NEXO_ERR_ESTABLISHMENT_EXISTS',
            expression: 'cnes',
            message: `CNES ${command.cnes} is already registered; rotate its secret instead.`,
          },
        };
      return {
        ok: true,
        type: ESTABLISHMENT_EVENTS.registered,
        data: {
          cnes: command.cnes,
          name: command.name,
          secretHash: command.secretHash,
          ...authorsData(command.authors),
        },
      };
    case 'rotate':
    case 'disable':
    case 'setAuthors':
      if (!state.active)
        return {
          ok: false,
          problem: {
            code: 'NEXO_ERR_NOT_FOUND',
            expression: 'cnes',
            message: `CNES ${command.cnes} has no active registration.`,
          },
        };
      return activeDecision(command);
  }
};

const activeDecision = (
  command: Exclude<EstablishmentCommand, { kind: 'register' }>,
): Extract<EstablishmentDecision, { ok: true }> => {
  switch (command.kind) {
    case 'rotate':
      return {
        ok: true,
        type: ESTABLISHMENT_EVENTS.secretRotated,
        data: { cnes: command.cnes, secretHash: command.secretHash },
      };
    case 'disable':
      return {
        ok: true,
        type: ESTABLISHMENT_EVENTS.disabled,
        data: { cnes: command.cnes, reason: command.reason },
      };
    case 'setAuthors':
      return {
        ok: true,
        type: ESTABLISHMENT_EVENTS.authorsSet,
        data: { cnes: command.cnes, cnpj: command.authors.cnpj, cns: command.authors.cns },
      };
  }
};

/** The event a decision appends; `actor` names who acted (`admin:cli`, `admin:api`). */
export const establishmentEvent = (
  decision: Extract<EstablishmentDecision, { ok: true }>,
  meta: {
    readonly id: string;
    readonly occurredAt: string;
    readonly actor: string;
    readonly correlationId: string;
  },
): NewEvent => ({
  id: meta.id,
  type: decision.type,
  schemaVersion: ESTABLISHMENT_SCHEMA_VERSIONS[decision.type],
  occurredAt: meta.occurredAt,
  sender: meta.actor,
  citizenKey: '',
  correlationId: meta.correlationId,
  data: decision.data,
});
