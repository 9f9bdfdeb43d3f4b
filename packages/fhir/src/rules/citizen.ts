import { citizenIdFromIdentifier, type CitizenId, type CitizenIdProblem } from '@nexo/identifiers';
import type { NexoErrorCode } from '../errors.ts';
import { child, type RuleContext, type Site } from './context.ts';

const PROBLEM: Readonly<
  Record<CitizenIdProblem, { code: NexoErrorCode; element: '.system' | '.value'; text: string }>
> = {
  'missing-system': { code: 'NEXO_ERR_VALIDATION_REQUIRED', element: '.system', text: 'is required.' },
  'missing-value': { code: 'NEXO_ERR_VALIDATION_REQUIRED', element: '.value', text: 'is required.' },
  'unknown-system': {
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    element: '.system',
    text: 'is not a citizen identifier system the hub accepts (see docs/senders.md).',
  },
  'invalid-cns': {
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    element: '.value',
    text: 'is not a valid CNS: its check digits do not match.',
  },
  'invalid-cpf': {
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    element: '.value',
    text: 'is not a valid CPF: its check digits do not match (or all digits are equal).',
  },
  'wrong-length': {
    code: 'NEXO_ERR_VALIDATION_IDENTIFIER',
    element: '.value',
    text: 'has the wrong length for its system: a CNS has 15 digits and a CPF 11, without punctuation.',
  },
};

/**
 * The citizen an Identifier names, or undefined after reporting why not (unless the schema already
 * reported a problem on that identifier). Messages name the element, never the number.
 */
export const readCitizenId = (ctx: RuleContext, site: Site, identifier: unknown): CitizenId | undefined => {
  const result = citizenIdFromIdentifier(
    typeof identifier === 'object' && identifier !== null ? identifier : {},
  );
  if (result.ok) return result.id;
  if (ctx.problems.hasErrorNear(site.path)) return undefined;
  const problem = PROBLEM[result.reason];
  const at = child(site, problem.element);
  ctx.problems.error(problem.code, at.path, `${at.label} ${problem.text}`);
  return undefined;
};

export const sameCitizen = (a: CitizenId, b: CitizenId): boolean =>
  a.kind === b.kind && a.number === b.number;
