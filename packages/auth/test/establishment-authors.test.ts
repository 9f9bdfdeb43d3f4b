import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '@nexo/eventstore';
import { isNexoError } from '@nexo/fhir';
import {
  checkAuthors,
  decideEstablishment,
  evolveEstablishment,
  initialEstablishmentState,
  mayAuthorAs,
  type EstablishmentCommand,
} from '../src/index.ts';
import { storedEstablishmentEvent } from './stored-establishment-event.ts';

const CNES = '9990022';
const CNPJ = '11222333000181';
const ALPHANUMERIC_CNPJ = '12ABC34501DE35';
const CNS = '203212962400006';

const stored = (type: string, data: unknown, version: number): StoredEvent =>
  storedEstablishmentEvent(CNES, type, data, version);

const fold = (events: StoredEvent[]) => events.reduce(evolveEstablishment, initialEstablishmentState());

/** An `EstablishmentRegistered` as written before author identities existed: no cnpj, no cns. */
const oldRegistered = stored('EstablishmentRegistered', { cnes: CNES, name: 'Lab', secretHash: 'h1' }, 1);
const registeredWithCnpj = stored(
  'EstablishmentRegistered',
  { cnes: CNES, name: 'Lab', secretHash: 'h1', cnpj: [CNPJ] },
  1,
);
const authorsSet = (version: number, cnpj: string[], cns: string[]) =>
  stored('EstablishmentAuthorsSet', { cnes: CNES, cnpj, cns }, version);
const rotated = (version: number) =>
  stored('EstablishmentSecretRotated', { cnes: CNES, secretHash: 'h2' }, version);
const disabled = (version: number) =>
  stored('EstablishmentDisabled', { cnes: CNES, reason: 'closed' }, version);

describe('author identities in the registry: given these events, the establishment may author as', () => {
  it.each([
    ['an old registration (no author fields)', [oldRegistered], [], []],
    ['an old registration, its secret rotated', [oldRegistered, rotated(2)], [], []],
    ['a registration with a CNPJ', [registeredWithCnpj], [CNPJ], []],
    ['an old registration, then a list set', [oldRegistered, authorsSet(2, [CNPJ], [CNS])], [CNPJ], [CNS]],
    ['a list set, then replaced', [registeredWithCnpj, authorsSet(2, [], [CNS])], [], [CNS]],
    ['a list kept across a rotation', [registeredWithCnpj, rotated(2)], [CNPJ], []],
    ['a list cleared', [registeredWithCnpj, authorsSet(2, [], [])], [], []],
    ['a re-registration without identities', [registeredWithCnpj, disabled(2), oldRegistered], [], []],
  ])('%s', (_given, events, cnpj, cns) => {
    const state = fold(events as StoredEvent[]);
    expect(state.authors).toEqual({ cnpj, cns });
    expect(state.active).toBe(true);
    expect(mayAuthorAs(state, { kind: 'CNPJ', number: CNPJ })).toBe(cnpj.includes(CNPJ));
    expect(mayAuthorAs(state, { kind: 'CNS', number: CNS })).toBe(cns.includes(CNS));
  });

  it('nothing once disabled, nor before any registration', () => {
    expect(mayAuthorAs(fold([registeredWithCnpj, disabled(2)]), { kind: 'CNPJ', number: CNPJ })).toBe(false);
    expect(mayAuthorAs(fold([]), { kind: 'CNPJ', number: CNPJ })).toBe(false);
  });

  it('a CNPJ listed is not a CNS, and the reverse', () => {
    const state = fold([oldRegistered, authorsSet(2, [CNPJ], [CNS])]);
    expect(mayAuthorAs(state, { kind: 'CNS', number: CNPJ })).toBe(false);
    expect(mayAuthorAs(state, { kind: 'CNPJ', number: CNS })).toBe(false);
  });
});

describe('author identities: when this command, then', () => {
  const setAuthors: EstablishmentCommand = {
    kind: 'setAuthors',
    cnes: CNES,
    authors: { cnpj: [CNPJ], cns: [CNS] },
  };

  it.each([
    ['registered', [oldRegistered], 'EstablishmentAuthorsSet'],
    ['nothing', [], 'NEXO_ERR_NOT_FOUND'],
    ['disabled', [oldRegistered, disabled(2)], 'NEXO_ERR_NOT_FOUND'],
  ])('setting them, given %s: %s', (_given, events, expected) => {
    const decision = decideEstablishment(setAuthors, fold(events as StoredEvent[]));
    expect(decision.ok ? decision.type : decision.problem.code).toBe(expected);
  });

  it('setting them writes the whole list', () => {
    expect(decideEstablishment(setAuthors, fold([oldRegistered]))).toEqual({
      ok: true,
      type: 'EstablishmentAuthorsSet',
      data: { cnes: CNES, cnpj: [CNPJ], cns: [CNS] },
    });
  });

  it('a registration writes them only when there are some (the event is otherwise unchanged)', () => {
    const register = (authors?: { cnpj: string[]; cns: string[] }): EstablishmentCommand => ({
      kind: 'register',
      cnes: CNES,
      name: 'Lab',
      secretHash: 'h',
      ...(authors ? { authors } : {}),
    });
    const plain = { cnes: CNES, name: 'Lab', secretHash: 'h' };
    expect(decideEstablishment(register(), fold([]))).toMatchObject({ ok: true, data: plain });
    expect(decideEstablishment(register({ cnpj: [], cns: [] }), fold([]))).toEqual({
      ok: true,
      type: 'EstablishmentRegistered',
      data: plain,
    });
    expect(decideEstablishment(register({ cnpj: [ALPHANUMERIC_CNPJ], cns: [] }), fold([]))).toEqual({
      ok: true,
      type: 'EstablishmentRegistered',
      data: { ...plain, cnpj: [ALPHANUMERIC_CNPJ] },
    });
  });
});

describe('checkAuthors', () => {
  it('accepts valid CNPJs (numeric and alphanumeric) and CNSs, once each', () => {
    expect(checkAuthors({ cnpj: [CNPJ, ALPHANUMERIC_CNPJ, CNPJ], cns: [CNS] })).toEqual({
      cnpj: [CNPJ, ALPHANUMERIC_CNPJ],
      cns: [CNS],
    });
    expect(checkAuthors({})).toEqual({ cnpj: [], cns: [] });
  });

  const refusal = (input: Parameters<typeof checkAuthors>[0]) => {
    try {
      checkAuthors(input);
    } catch (err) {
      if (isNexoError(err)) return { code: err.code, status: err.status, problems: err.problems };
      throw err;
    }
    throw new Error('accepted');
  };

  it.each([
    ['a wrong check digit', { cnpj: ['11222333000182'] }, 'cnpj[0]'],
    ['punctuation', { cnpj: ['11.222.333/0001-81'] }, 'cnpj[0]'],
    ['a CNS where a CNPJ goes', { cnpj: [CNPJ, CNS] }, 'cnpj[1]'],
    ['an invalid CNS', { cns: ['203212962400007'] }, 'cns[0]'],
    ['a CNPJ where a CNS goes', { cns: [CNPJ] }, 'cns[0]'],
    ['a string, not a list', { cnpj: CNPJ }, 'cnpj'],
    ['a number in the list', { cns: [203212962400006] }, 'cns[0]'],
    ['too many', { cnpj: Array.from({ length: 51 }, () => CNPJ) }, 'cnpj'],
  ])('refuses %s, naming the field', (_case, input, expression) => {
    const { code, status, problems } = refusal(input);
    expect([code, status]).toEqual(['NEXO_ERR_VALIDATION_IDENTIFIER', 422]);
    expect(problems).toEqual([
      {
        code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
        expression,
        message: expect.stringMatching(new RegExp(`^${expression.replace(/[[\]]/g, '\\$&')} must be`)),
      },
    ]);
  });

  it('does not repeat a refused CNS (it may be a citizen’s)', () => {
    expect(JSON.stringify(refusal({ cns: ['203212962400007'] }))).not.toContain('203212962400007');
  });
});
