import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { NEXO_ERRORS, NEXO_ERROR_SYSTEM, type Problem } from './errors.ts';

/**
 * Renders problems as a FHIR OperationOutcome. `diagnostics` starts with the national code in
 * parentheses when one exists, the style senders' software already parses.
 */
export const toOperationOutcome = (problems: readonly Problem[]): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: problems.map(toIssue),
});

const toIssue = (problem: Problem): OperationOutcomeIssue => {
  const spec = NEXO_ERRORS[problem.code];
  const ehr = 'ehr' in spec ? spec.ehr : undefined;
  const issue: OperationOutcomeIssue = {
    severity: problem.severity ?? 'error',
    code: spec.issueType as OperationOutcomeIssue['code'],
    details: { coding: [{ system: NEXO_ERROR_SYSTEM, code: problem.code, display: spec.title }] },
    diagnostics: ehr ? `(${ehr}) ${problem.message}` : problem.message,
  };
  if (problem.expression) issue.expression = [problem.expression];
  return issue;
};

/** The OperationOutcome that accompanies a success (201) answer. */
export const successOutcome = (message: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'information', code: 'informational', diagnostics: message }],
});
