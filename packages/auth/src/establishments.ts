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
} as const;

export type EstablishmentEventType = (typeof ESTABLISHMENT_EVENTS)[keyof typeof ESTABLISHMENT_EVENTS];

export const ESTABLISHMENT_SCHEMA_VERSIONS: Readonly<Record<EstablishmentEventType, number>> = {
  EstablishmentRegistered: 1,
  EstablishmentSecretRotated: 1,
  EstablishmentDisabled: 1,
};

export const establishmentStream = (cnes: string): string => `establishment-${cnes}`;

export interface EstablishmentRegisteredData {
  readonly cnes: string;
  readonly name: string;
  /** `scrypt$…` hash of the client secret; the secret itself is never stored. */
  readonly secretHash: string;
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
}

export const initialEstablishmentState = (): EstablishmentState => ({ version: 0, active: false });

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
      };
    }
    case ESTABLISHMENT_EVENTS.secretRotated:
      return {
        ...state,
        version: event.version,
        secretHash: (event.data as EstablishmentSecretRotatedData).secretHash,
      };
    case ESTABLISHMENT_EVENTS.disabled:
      return { ...state, version: event.version, active: false };
    default:
      return { ...state, version: event.version };
  }
};

export type EstablishmentCommand =
  | { readonly kind: 'register'; readonly cnes: string; readonly name: string; readonly secretHash: string }
  | { readonly kind: 'rotate'; readonly cnes: string; readonly secretHash: string }
  | { readonly kind: 'disable'; readonly cnes: string; readonly reason: string };

export type EstablishmentDecision =
  | { readonly ok: true; readonly type: EstablishmentEventType; readonly data: unknown }
  | { readonly ok: false; readonly problem: Problem };

/**
 * Registering an active establishment again is a conflict (rotate its secret instead);
 * registering a disabled one re-enables it with a new secret. Rotating or disabling needs an
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
        data: { cnes: command.cnes, name: command.name, secretHash: command.secretHash },
      };
    case 'rotate':
    case 'disable':
      if (!state.active)
        return {
          ok: false,
          problem: {
            code: 'NEXO_ERR_NOT_FOUND',
            expression: 'cnes',
            message: `CNES ${command.cnes} has no active registration.`,
          },
        };
      return command.kind === 'rotate'
        ? {
            ok: true,
            type: ESTABLISHMENT_EVENTS.secretRotated,
            data: { cnes: command.cnes, secretHash: command.secretHash },
          }
        : {
            ok: true,
            type: ESTABLISHMENT_EVENTS.disabled,
            data: { cnes: command.cnes, reason: command.reason },
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
