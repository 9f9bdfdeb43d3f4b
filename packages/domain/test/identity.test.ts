import { describe, expect, it } from 'vitest';
import { citizenKey, type CitizenId } from '@nexo/identifiers';
import {
  applyIdentity,
  decideIdentity,
  displayCns,
  identifiersNamingPerson,
  type IdentityCommand,
  type IdentitySnapshot,
  type Person,
} from '../src/index.ts';

const DEF_A: CitizenId = { kind: 'CNS', number: '266764941990004' };
const DEF_B: CitizenId = { kind: 'CNS', number: '203212962400006' };
const PROV: CitizenId = { kind: 'CNS', number: '898001160660001' };
const CPF_A: CitizenId = { kind: 'CPF', number: '52998224725' };
const CPF_B: CitizenId = { kind: 'CPF', number: '93273918454' };

const person = (personId: string, identifiers: CitizenId[], mergedInto?: string): Person => ({
  personId,
  identifiers,
  demographics: {},
  ...(mergedInto ? { mergedInto } : {}),
});

/** given the registry holds these persons, when this command, then this decision. */
const given = (...persons: Person[]): IdentitySnapshot => ({
  persons: new Map(persons.map((p) => [p.personId, p])),
  linkedTo: new Map(
    persons
      .filter((p) => !p.mergedInto)
      .flatMap((p) => p.identifiers.map((i) => [citizenKey(i), p.personId] as const)),
  ),
});

const outcome = (command: IdentityCommand, snapshot: IdentitySnapshot) => {
  const d = decideIdentity(command, snapshot);
  return d.kind === 'reject'
    ? { reject: d.problems[0]?.code }
    : { kind: d.kind, personId: 'data' in d ? d.data.personId : d.personId };
};

describe('identity registry: decide', () => {
  const cases: Array<{
    rule: string;
    snapshot: IdentitySnapshot;
    when: IdentityCommand;
    then: ReturnType<typeof outcome>;
  }> = [
    {
      rule: 'unknown identifiers identify a new person',
      snapshot: given(),
      when: { kind: 'identify', newPersonId: 'p-new', identifiers: [DEF_A, CPF_A], demographics: {} },
      then: { kind: 'CitizenIdentified', personId: 'p-new' },
    },
    {
      rule: 'a known identifier identifies the same person again',
      snapshot: given(person('p1', [DEF_A])),
      when: { kind: 'identify', newPersonId: 'p-new', identifiers: [DEF_A, CPF_A], demographics: {} },
      then: { kind: 'CitizenIdentified', personId: 'p1' },
    },
    {
      rule: 'identifiers of two persons cannot identify one',
      snapshot: given(person('p1', [DEF_A]), person('p2', [DEF_B])),
      when: { kind: 'identify', newPersonId: 'x', identifiers: [DEF_A, DEF_B], demographics: {} },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'a person holds one definitive CNS',
      snapshot: given(),
      when: { kind: 'identify', newPersonId: 'x', identifiers: [DEF_A, DEF_B], demographics: {} },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'a person holds one CPF',
      snapshot: given(person('p1', [DEF_A, CPF_A])),
      when: { kind: 'link', personId: 'p1', identifiers: [CPF_B] },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'a person merged from two with a definitive CNS each still takes a provisional CNS',
      snapshot: given(person('p1', [DEF_A, CPF_A, DEF_B])),
      when: { kind: 'link', personId: 'p1', identifiers: [PROV] },
      then: { kind: 'IdentifiersLinked', personId: 'p1' },
    },
    {
      rule: 'a person merged from two with a definitive CNS each still takes new demographics',
      snapshot: given(person('p1', [DEF_A, CPF_A, DEF_B])),
      when: { kind: 'identify', newPersonId: 'x', identifiers: [DEF_A], demographics: { name: 'Maria' } },
      then: { kind: 'CitizenIdentified', personId: 'p1' },
    },
    {
      rule: 'a person merged from two with a definitive CNS each still refuses a second CPF',
      snapshot: given(person('p1', [DEF_A, CPF_A, DEF_B])),
      when: { kind: 'link', personId: 'p1', identifiers: [CPF_B] },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'a person sent again as the registry holds them changes nothing',
      snapshot: given(person('p1', [DEF_A, CPF_A])),
      when: { kind: 'identify', newPersonId: 'p-new', identifiers: [CPF_A, DEF_A], demographics: {} },
      then: { kind: 'unchanged', personId: 'p1' },
    },
    {
      rule: 'the same definitive CNS twice in one call is one identifier, not a second CNS',
      snapshot: given(),
      when: {
        kind: 'identify',
        newPersonId: 'p-new',
        identifiers: [DEF_A, DEF_A, CPF_A, CPF_A],
        demographics: {},
      },
      then: { kind: 'CitizenIdentified', personId: 'p-new' },
    },
    {
      rule: 'the same definitive CNS twice in a link is one identifier, not a second CNS',
      snapshot: given(person('p1', [PROV])),
      when: { kind: 'link', personId: 'p1', identifiers: [DEF_A, DEF_A] },
      then: { kind: 'IdentifiersLinked', personId: 'p1' },
    },
    {
      rule: 'an identifier linked by mistake is unlinked',
      snapshot: given(person('p1', [DEF_A, PROV])),
      when: { kind: 'unlink', personId: 'p1', identifiers: [PROV] },
      then: { kind: 'IdentifiersUnlinked', personId: 'p1' },
    },
    {
      rule: 'unlinking what the person does not hold changes nothing',
      snapshot: given(person('p1', [DEF_A])),
      when: { kind: 'unlink', personId: 'p1', identifiers: [PROV] },
      then: { kind: 'unchanged', personId: 'p1' },
    },
    {
      rule: 'an identifier of another person cannot be unlinked from this one',
      snapshot: given(person('p1', [DEF_A]), person('p2', [DEF_B, PROV])),
      when: { kind: 'unlink', personId: 'p1', identifiers: [PROV] },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'a person keeps at least one identifier',
      snapshot: given(person('p1', [DEF_A, PROV])),
      when: { kind: 'unlink', personId: 'p1', identifiers: [PROV, DEF_A] },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'unlinking from a merged person is refused: the survivor holds the identifiers',
      snapshot: given(person('p1', [DEF_A, PROV]), person('p2', [DEF_B], 'p1')),
      when: { kind: 'unlink', personId: 'p2', identifiers: [DEF_B] },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'a provisional CNS links to a person',
      snapshot: given(person('p1', [DEF_A])),
      when: { kind: 'link', personId: 'p1', identifiers: [PROV] },
      then: { kind: 'IdentifiersLinked', personId: 'p1' },
    },
    {
      rule: 'linking what is linked already changes nothing',
      snapshot: given(person('p1', [DEF_A, PROV])),
      when: { kind: 'link', personId: 'p1', identifiers: [PROV] },
      then: { kind: 'unchanged', personId: 'p1' },
    },
    {
      rule: 'an identifier of another person cannot be linked',
      snapshot: given(person('p1', [DEF_A]), person('p2', [PROV])),
      when: { kind: 'link', personId: 'p1', identifiers: [PROV] },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'linking to an unknown person is not found',
      snapshot: given(),
      when: { kind: 'link', personId: 'nobody', identifiers: [PROV] },
      then: { reject: 'NEXO_ERR_NOT_FOUND' },
    },
    {
      rule: 'linking to a merged person is refused',
      snapshot: given(person('p1', [DEF_A]), person('p2', [PROV], 'p1')),
      when: { kind: 'link', personId: 'p2', identifiers: [CPF_A] },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'two persons merge into the survivor',
      snapshot: given(person('p1', [DEF_A]), person('p2', [PROV])),
      when: { kind: 'merge', personId: 'p1', mergedPersonId: 'p2' },
      then: { kind: 'CitizensMerged', personId: 'p1' },
    },
    {
      rule: 'a merge repeated changes nothing',
      snapshot: given(person('p1', [DEF_A, PROV]), person('p2', [PROV], 'p1')),
      when: { kind: 'merge', personId: 'p1', mergedPersonId: 'p2' },
      then: { kind: 'unchanged', personId: 'p1' },
    },
    {
      rule: 'a person cannot merge into itself',
      snapshot: given(person('p1', [DEF_A])),
      when: { kind: 'merge', personId: 'p1', mergedPersonId: 'p1' },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
    {
      rule: 'persons with different CPFs cannot merge',
      snapshot: given(person('p1', [DEF_A, CPF_A]), person('p2', [PROV, CPF_B])),
      when: { kind: 'merge', personId: 'p1', mergedPersonId: 'p2' },
      then: { reject: 'NEXO_ERR_IDENTITY_CONFLICT' },
    },
  ];
  it.each(cases)('$rule', ({ snapshot, when, then }) => {
    expect(outcome(when, snapshot)).toEqual(then);
  });

  it('an identifier repeated in a call is recorded once', () => {
    for (const decision of [
      decideIdentity(
        { kind: 'identify', newPersonId: 'p-new', identifiers: [PROV, PROV, DEF_A], demographics: {} },
        given(),
      ),
      decideIdentity(
        { kind: 'link', personId: 'p1', identifiers: [PROV, PROV] },
        given(person('p1', [DEF_A])),
      ),
    ])
      expect(
        decision.kind === 'reject' || decision.kind === 'unchanged' ? [] : decision.data.identifiers,
      ).toEqual(decision.kind === 'IdentifiersLinked' ? [PROV] : [PROV, DEF_A]);
  });

  it('an unlink removes the identifiers from the person and their links', () => {
    const before = person('p1', [DEF_A, PROV, CPF_A]);
    expect(
      applyIdentity({ type: 'IdentifiersUnlinked', data: { personId: 'p1', identifiers: [PROV] } }, (id) =>
        id === 'p1' ? before : undefined,
      ),
    ).toEqual({
      persons: [{ ...before, identifiers: [DEF_A, CPF_A] }],
      links: [],
      unlinked: [citizenKey(PROV)],
    });
  });

  it('a merge moves the merged person’s identifiers to the survivor and points the merged one at it', () => {
    const people = new Map([
      ['p1', person('p1', [DEF_A])],
      ['p2', person('p2', [PROV, CPF_A])],
    ]);
    const changes = applyIdentity(
      { type: 'CitizensMerged', data: { personId: 'p1', mergedPersonId: 'p2', identifiers: [PROV, CPF_A] } },
      (id) => people.get(id),
    );
    expect(changes.persons.map((p) => [p.personId, p.identifiers.length, p.mergedInto])).toEqual([
      ['p1', 3, undefined],
      ['p2', 0, 'p1'],
    ]);
    expect(changes.links.map((l) => [l.citizenKey, l.personId])).toEqual([
      [citizenKey(PROV), 'p1'],
      [citizenKey(CPF_A), 'p1'],
    ]);
  });

  it('an identifier the merged person brought, unlinked from the survivor, names neither of them', () => {
    const people = new Map([
      ['p1', person('p1', [DEF_A])],
      ['p2', person('p2', [PROV, CPF_A])],
    ]);
    const apply = (event: Parameters<typeof applyIdentity>[0]) => {
      const changes = applyIdentity(event, (id) => people.get(id));
      for (const p of changes.persons) people.set(p.personId, p);
      return changes;
    };
    apply({
      type: 'CitizensMerged',
      data: { personId: 'p1', mergedPersonId: 'p2', identifiers: [PROV, CPF_A] },
    });
    const unlinked = apply({ type: 'IdentifiersUnlinked', data: { personId: 'p1', identifiers: [PROV] } });
    expect(unlinked.unlinked).toEqual([citizenKey(PROV)]);
    expect([...people.values()]).toEqual([person('p1', [DEF_A, CPF_A]), person('p2', [], 'p1')]);
  });

  it('a merged person is named by no identifier, even one a read model projected before merges moved them', () => {
    expect(identifiersNamingPerson(person('p2', [PROV, CPF_A], 'p1'))).toEqual([]);
    expect(identifiersNamingPerson(person('p1', [DEF_A, CPF_A]))).toEqual([DEF_A, CPF_A]);
  });

  it('the definitive CNS is the one shown, whatever the order identifiers arrived in', () => {
    expect(displayCns({ identifiers: [PROV, CPF_A, DEF_A] })).toBe(DEF_A.number);
    expect(displayCns({ identifiers: [PROV] })).toBe(PROV.number);
  });
});
