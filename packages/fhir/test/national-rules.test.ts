import { createDocumentValidator } from '@nexo/fhir';
import { describe, expect, it } from 'vitest';
import { NOW, type RuleCase } from './rules/case.ts';
import { COMPOSITION_CASES } from './rules/composition-cases.ts';
import { ENVELOPE_CASES } from './rules/envelope-cases.ts';
import { RDM_CASES } from './rules/rdm-cases.ts';
import { REFERENCE_CASES } from './rules/reference-cases.ts';
import { REL_CASES } from './rules/rel-cases.ts';
import { RIA_CASES } from './rules/ria-cases.ts';
import { RIA_HISTORY_CASES } from './rules/ria-history-cases.ts';
import { RIA_R_PROFILE_CASES } from './rules/ria-r-profile-cases.ts';
import { RIA_REASON_CASES } from './rules/ria-reason-cases.ts';
import { SUBJECT_CASES } from './rules/subject-cases.ts';

const validator = createDocumentValidator();

/** Every citizen and professional number used by the bases and the cases. */
const PERSONAL_NUMBERS =
  /266764941990004|998396937874850|93273918454|203212962400006|146089735210007|700000000000005/;

const byText = (a: readonly string[], b: readonly string[]) => a.join(' ').localeCompare(b.join(' '));

const GROUPS: Array<[string, RuleCase[]]> = [
  ['envelope and model selection', ENVELOPE_CASES],
  ['Composition', COMPOSITION_CASES],
  ['the citizen (subject)', SUBJECT_CASES],
  ['references', REFERENCE_CASES],
  ['RIA (Immunization)', RIA_CASES],
  ['RIA-R profiles (Composition 2.0, Immunization 3.0)', RIA_R_PROFILE_CASES],
  ['RIA-R reason (Condition)', RIA_REASON_CASES],
  ['RIA 1.0 and RIA-C (history)', RIA_HISTORY_CASES],
  ['REL (Observation, Specimen)', REL_CASES],
  ['RDM (MedicationDispense, Medication)', RDM_CASES],
];

describe.each(GROUPS)('national rules: %s', (_group, cases) => {
  it.each(cases.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    const bundle = c.document();
    expect(validator.validate(bundle, { now: NOW }).ok).toBe(true);
    c.change(bundle);
    const result = validator.validate(bundle, { now: NOW });
    if (result.ok) throw new Error(`accepted a document that breaks: ${c.rule}`);
    const errors = result.problems.filter((p) => p.severity !== 'warning');
    expect(errors.map((p) => [p.code, p.expression ?? '']).sort(byText)).toEqual(
      c.errors.map((e) => [...e]).sort(byText),
    );
    for (const problem of errors) {
      expect(problem.message.length).toBeGreaterThan(20);
      expect(problem.message).not.toMatch(PERSONAL_NUMBERS);
    }
  });
});
