import { describe, expect, it } from 'vitest';
import { initialEstablishmentState, type EstablishmentState } from '@nexo/auth';
import type { ValidatedDocument } from '@nexo/fhir';
import { checkAuthor, type RegistrationLookUp } from '../src/author-check.ts';

const SENDER = '9990022';
const CNPJ = '11222333000181';
const CNS = '109654425720002';

/** A registry holding one registration; it counts its reads. */
const registryWith = (state: EstablishmentState) => {
  const reads: string[] = [];
  const registry: RegistrationLookUp = {
    lookUp: async (cnes) => {
      reads.push(cnes);
      return cnes === SENDER ? state : initialEstablishmentState();
    },
  };
  return { registry, reads };
};

const registered = (cnpj: string[], cns: string[], active = true): EstablishmentState => ({
  version: 2,
  cnes: SENDER,
  name: 'Laboratório',
  secretHash: 'h',
  active,
  registration: 1,
  credential: 1,
  authors: { cnpj, cns },
});

const check = (state: EstablishmentState, author: ValidatedDocument['author']) => {
  const { registry, reads } = registryWith(state);
  return checkAuthor(registry, SENDER, author).then((problem) => ({ problem, reads }));
};

describe('the author check: is Composition.author the token’s establishment?', () => {
  it('a CNES author is compared with the token alone: no registry read', async () => {
    const state = registered([CNPJ], []);
    expect(await check(state, { kind: 'CNES', number: SENDER })).toEqual({ problem: undefined, reads: [] });
    expect(await check(state, { kind: 'CNES', number: '1234567' })).toEqual({
      problem: {
        code: 'NEXO_ERR_FORBIDDEN',
        expression: 'Bundle.entry[0].resource.author[0].identifier',
        message:
          "Composition.author must be the establishment the token was issued to (CNES 9990022); send CNES 1234567's documents with its own token.",
      },
      reads: [],
    });
  });

  it.each([
    ['a listed CNPJ', true, registered([CNPJ], []), { kind: 'CNPJ', number: CNPJ }],
    ['a listed CNS', true, registered([], [CNS]), { kind: 'CNS', number: CNS }],
    ['a CNPJ not listed', false, registered([], [CNS]), { kind: 'CNPJ', number: CNPJ }],
    ['a CNS not listed', false, registered([CNPJ], []), { kind: 'CNS', number: CNS }],
    [
      'a listed CNPJ, establishment disabled',
      false,
      registered([CNPJ], [], false),
      { kind: 'CNPJ', number: CNPJ },
    ],
  ] as const)('%s (accepted: %s) reads the sender’s registration once', async (_case, ok, state, author) => {
    const { problem, reads } = await check(state, author);
    expect(reads).toEqual([SENDER]);
    expect(problem === undefined).toBe(ok);
    if (problem)
      expect(problem).toMatchObject({
        code: 'NEXO_ERR_FORBIDDEN',
        expression: 'Bundle.entry[0].resource.author[0].identifier',
      });
  });

  it('says how to fix a refusal', async () => {
    expect((await check(registered([], []), { kind: 'CNPJ', number: CNPJ })).problem?.message).toBe(
      'Composition.author CNPJ 11222333000181 is not registered for CNES 9990022: name the CNES 9990022 as author, or have the hub operator list it (pnpm establishment:authors --cnes 9990022 --cnpj 11222333000181, which sets the whole list, or PUT /admin/v1/establishments/9990022/authors).',
    );
    expect(
      (await check(registered([CNPJ], [CNS], false), { kind: 'CNS', number: CNS })).problem?.message,
    ).toBe(
      'Composition.author CNS 109654425720002 is not registered for CNES 9990022, which has no active registration: name the CNES 9990022 as author, or have the hub operator register it with the identity (pnpm establishment:add --cnes 9990022 --name <name> --cns 109654425720002).',
    );
  });
});
