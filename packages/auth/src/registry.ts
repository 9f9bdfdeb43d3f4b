import { isConcurrencyError, type EventStore } from '@nexo/eventstore';
import { NexoError, charactersExceed, type NexoErrorCode } from '@nexo/fhir';
import { isValidCnes, isValidCnpj, isValidCns } from '@nexo/identifiers';
import {
  decideEstablishment,
  establishmentEvent,
  establishmentStream,
  evolveEstablishment,
  initialEstablishmentState,
  type EstablishmentAuthors,
  type EstablishmentCommand,
  type EstablishmentState,
} from './establishments.ts';
import { generateSecret, hashSecret } from './secrets.ts';

export interface RegistryDeps {
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly newId: () => string;
  /**
   * Called once a change to `cnes` is durable, before the command returns: the registration cache
   * of this process forgets what it knew, so a disable through the admin API applies at once.
   */
  readonly onChange?: (cnes: string) => void;
}

/** Who changes the registry, recorded as the events' sender. */
export type RegistryActor = 'admin:cli' | 'admin:api';

export interface IssuedCredentials {
  readonly clientId: string;
  /** Shown once; only its hash is stored. */
  readonly clientSecret: string;
  readonly name: string;
}

/** Author identities as an operator gives them (CLI flags, an admin request body): checked on use. */
export interface AuthorsInput {
  readonly cnpj?: unknown;
  readonly cns?: unknown;
}

export interface EstablishmentRegistry {
  /** `name` (and `reason` below) as received: the registry checks them and names the field. */
  register(
    cnes: string,
    name: unknown,
    actor: RegistryActor,
    authors?: AuthorsInput,
  ): Promise<IssuedCredentials>;
  rotateSecret(cnes: string, actor: RegistryActor): Promise<IssuedCredentials>;
  disable(cnes: string, reason: unknown, actor: RegistryActor): Promise<void>;
  /** Replaces the CNPJs and CNSs the establishment may author REL documents under. */
  setAuthors(cnes: string, authors: AuthorsInput, actor: RegistryActor): Promise<EstablishmentAuthors>;
  /** The establishment's current registration (inactive when unknown or disabled). */
  lookUp(cnes: string): Promise<EstablishmentState>;
}

/** A 422 naming the field: an identifier that fails its check, or (`code`) another kind of error. */
const invalid = (
  expression: string,
  message: string,
  code: NexoErrorCode = 'NEXO_ERR_VALIDATION_IDENTIFIER',
): NexoError => new NexoError(code, [{ code, expression, message }]);

export const checkCnes = (cnes: unknown): string => {
  if (typeof cnes !== 'string' || !isValidCnes(cnes))
    throw invalid('cnes', 'cnes must be a CNES: exactly 7 digits (a CNES has no check digit).');
  return cnes;
};

/** What is wrong with a name or reason, as the code of its 422; undefined when nothing is. */
const textProblem = (value: unknown, max: number): NexoErrorCode | undefined => {
  if (value === undefined || value === null) return 'NEXO_ERR_VALIDATION_REQUIRED';
  if (typeof value !== 'string') return 'NEXO_ERR_VALIDATION_STRUCTURE';
  if (value.trim().length === 0) return 'NEXO_ERR_VALIDATION_REQUIRED';
  if (charactersExceed(value, max)) return 'NEXO_ERR_VALIDATION_TOO_LONG';
  // Printable text only: names and reasons are shown to operators and must not carry controls.
  return /\p{Cc}/u.test(value) ? 'NEXO_ERR_VALIDATION_STRUCTURE' : undefined;
};

const checkText = (value: unknown, expression: string, max: number): string => {
  const problem = textProblem(value, max);
  if (problem !== undefined)
    throw invalid(expression, `${expression} must be 1 to ${max} printable characters.`, problem);
  return (value as string).trim();
};

/** At most this many of each kind: a laboratory has one CNPJ, a professional one CNS. */
const MAX_AUTHORS = 50;

const checkList = (
  value: unknown,
  field: 'cnpj' | 'cns',
  isValid: (text: string) => boolean,
  what: string,
): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_AUTHORS)
    throw invalid(field, `${field} must be a list of at most ${MAX_AUTHORS} identifiers.`);
  return [
    ...new Set(
      value.map((item: unknown, i) => {
        // The value is not repeated: a CNS in the wrong field may be a citizen's.
        if (typeof item !== 'string' || !isValid(item))
          throw invalid(`${field}[${i}]`, `${field}[${i}] must be ${what}, without punctuation.`);
        return item;
      }),
    ),
  ];
};

/**
 * The CNPJs and CNSs an establishment may author REL documents under, checked with the same
 * rules as the validator's (`BRPessoaJuridicaProfissionalLiberal-1.0`).
 */
export const checkAuthors = (input: AuthorsInput): EstablishmentAuthors => ({
  cnpj: checkList(
    input.cnpj,
    'cnpj',
    isValidCnpj,
    'a valid CNPJ: 14 characters, 12 digits or capital letters then 2 check digits',
  ),
  cns: checkList(input.cns, 'cns', isValidCns, 'a valid CNS: 15 digits with a valid check digit'),
});

/** One establishment's registration, folded from its stream (a handful of events). */
export const readRegistration = async (store: EventStore, cnes: string): Promise<EstablishmentState> =>
  (await store.readStream(establishmentStream(cnes))).reduce(
    evolveEstablishment,
    initialEstablishmentState(),
  );

/**
 * The registry over the event store: every change is an event on `establishment-<CNES>`, read
 * and folded on each look-up (token requests, and REL documents authored by CNPJ or CNS, are rare
 * next to submissions, and a stream holds a handful of events). Submissions check a token's
 * registration through the registration cache instead (registration-cache.ts).
 */
export const createEstablishmentRegistry = (deps: RegistryDeps): EstablishmentRegistry => {
  const lookUp = (cnes: string) => readRegistration(deps.store, cnes);

  const run = async (command: EstablishmentCommand, actor: RegistryActor): Promise<EstablishmentState> => {
    const state = await lookUp(command.cnes);
    const decision = decideEstablishment(command, state);
    if (!decision.ok) throw new NexoError(decision.problem.code, [decision.problem]);
    const event = establishmentEvent(decision, {
      id: deps.newId(),
      occurredAt: deps.clock().toISOString(),
      actor,
      correlationId: deps.newId(),
    });
    try {
      await deps.store.append(establishmentStream(command.cnes), state.version, [event]);
    } catch (err) {
      if (!isConcurrencyError(err)) throw err;
      throw new NexoError(
        'NEXO_ERR_ESTABLISHMENT_EXISTS',
        `CNES ${command.cnes} changed concurrently; read it again and retry.`,
      );
    } finally {
      // After a failed append too: one whose outcome is unknown (a timeout) may have landed.
      deps.onChange?.(command.cnes);
    }
    return state;
  };

  return {
    lookUp: (cnes) => lookUp(checkCnes(cnes)),
    register: async (cnesInput, nameInput, actor, authorsInput = {}) => {
      const cnes = checkCnes(cnesInput);
      const name = checkText(nameInput, 'name', 200);
      const authors = checkAuthors(authorsInput);
      const clientSecret = generateSecret();
      await run({ kind: 'register', cnes, name, secretHash: await hashSecret(clientSecret), authors }, actor);
      return { clientId: cnes, clientSecret, name };
    },
    rotateSecret: async (cnesInput, actor) => {
      const cnes = checkCnes(cnesInput);
      const clientSecret = generateSecret();
      const state = await run({ kind: 'rotate', cnes, secretHash: await hashSecret(clientSecret) }, actor);
      return { clientId: cnes, clientSecret, name: state.name ?? '' };
    },
    disable: async (cnesInput, reasonInput, actor) => {
      const cnes = checkCnes(cnesInput);
      await run({ kind: 'disable', cnes, reason: checkText(reasonInput, 'reason', 500) }, actor);
    },
    setAuthors: async (cnesInput, authorsInput, actor) => {
      const cnes = checkCnes(cnesInput);
      const authors = checkAuthors(authorsInput);
      await run({ kind: 'setAuthors', cnes, authors }, actor);
      return authors;
    },
  };
};
