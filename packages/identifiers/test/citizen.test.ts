import { describe, expect, it } from 'vitest';
import {
  CITIZEN_IDENTIFIER_SYSTEMS as S,
  citizenIdFromIdentifier,
  citizenKey,
  parseCitizenKey,
  type CitizenIdResult,
} from '@nexo/identifiers';

const CNS = '266764941990004';
const CPF = '93273918454';

describe('citizenIdFromIdentifier', () => {
  const cases: ReadonlyArray<[string, { system?: unknown; value?: unknown }, CitizenIdResult]> = [
    [
      'BRIndividuo with 15 digits is a CNS',
      { system: S.BR_INDIVIDUO, value: CNS },
      { ok: true, id: { kind: 'CNS', number: CNS } },
    ],
    [
      'BRIndividuo with 11 digits is a CPF',
      { system: S.BR_INDIVIDUO, value: CPF },
      { ok: true, id: { kind: 'CPF', number: CPF } },
    ],
    [
      'the newer BRIndividuo canonical is an alias',
      { system: S.BR_INDIVIDUO_RNDS_FHIR, value: CPF },
      { ok: true, id: { kind: 'CPF', number: CPF } },
    ],
    [
      'RNDS Patient API cns',
      { system: S.RNDS_CNS, value: CNS },
      { ok: true, id: { kind: 'CNS', number: CNS } },
    ],
    [
      'RNDS Patient API cpf',
      { system: S.RNDS_CPF, value: CPF },
      { ok: true, id: { kind: 'CPF', number: CPF } },
    ],
    ['BR Core cns', { system: S.BR_CORE_CNS, value: CNS }, { ok: true, id: { kind: 'CNS', number: CNS } }],
    ['BR Core cpf', { system: S.BR_CORE_CPF, value: CPF }, { ok: true, id: { kind: 'CPF', number: CPF } }],
    ['no system', { value: CNS }, { ok: false, reason: 'missing-system' }],
    ['empty system', { system: '', value: CNS }, { ok: false, reason: 'missing-system' }],
    ['a non-string system', { system: 42, value: CNS }, { ok: false, reason: 'missing-system' }],
    ['no value', { system: S.BR_INDIVIDUO }, { ok: false, reason: 'missing-value' }],
    [
      'a numeric value',
      { system: S.BR_INDIVIDUO, value: 93273918454 },
      { ok: false, reason: 'missing-value' },
    ],
    [
      'an unknown system',
      { system: 'urn:oid:2.16.840.1.113883.13.236', value: CNS },
      { ok: false, reason: 'unknown-system' },
    ],
    [
      'BRIndividuo with 12 digits',
      { system: S.BR_INDIVIDUO, value: '932739184540' },
      { ok: false, reason: 'wrong-length' },
    ],
    ['a cns system with a CPF', { system: S.BR_CORE_CNS, value: CPF }, { ok: false, reason: 'wrong-length' }],
    ['a cpf system with a CNS', { system: S.RNDS_CPF, value: CNS }, { ok: false, reason: 'wrong-length' }],
    [
      'BRIndividuo with a bad CNS',
      { system: S.BR_INDIVIDUO, value: '266764941990005' },
      { ok: false, reason: 'invalid-cns' },
    ],
    [
      'BRIndividuo with a bad CPF',
      { system: S.BR_INDIVIDUO, value: '93273918455' },
      { ok: false, reason: 'invalid-cpf' },
    ],
    [
      'a formatted CPF',
      { system: S.BR_CORE_CPF, value: '932.739.184-54' },
      { ok: false, reason: 'wrong-length' },
    ],
  ];
  it.each(cases)('%s', (_name, identifier, expected) => {
    expect(citizenIdFromIdentifier(identifier)).toEqual(expected);
  });
});

describe('citizen keys', () => {
  it('writes cns:<15 digits> and cpf:<11 digits>', () => {
    expect(citizenKey({ kind: 'CNS', number: CNS })).toBe(`cns:${CNS}`);
    expect(citizenKey({ kind: 'CPF', number: CPF })).toBe(`cpf:${CPF}`);
  });
  it('reads back what it writes', () => {
    expect(parseCitizenKey(`cns:${CNS}`)).toEqual({ kind: 'CNS', number: CNS });
    expect(parseCitizenKey(`cpf:${CPF}`)).toEqual({ kind: 'CPF', number: CPF });
  });
  it.each([
    [`CNS:${CNS}`, 'upper-case prefix'],
    [`cns:${CPF}`, 'a CPF under the cns prefix'],
    [`cpf:93273918455`, 'an invalid CPF'],
    [`rg:123456`, 'an unknown prefix'],
    [CNS, 'no prefix'],
    ['cns:', 'no number'],
  ])('rejects %s (%s)', (key) => {
    expect(parseCitizenKey(key)).toBeUndefined();
  });
});
