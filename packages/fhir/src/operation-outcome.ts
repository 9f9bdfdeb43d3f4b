import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import {
  NEXO_ERRORS,
  NEXO_ERROR_SYSTEM,
  NEXO_WARNINGS,
  type NexoErrorSpec,
  type NexoWarningSpec,
  type Problem,
  type Warning,
} from './errors.ts';

/**
 * The most issues one OperationOutcome lists. A 1 MB document can break a rule a hundred thousand
 * times (unknown keys, repeated sections): listed in full, that is a 50 MB answer, a 50 MB
 * rejection event kept for good, and a rejection list too large to serialise.
 */
export const MAX_LISTED_PROBLEMS = 100;

/**
 * Renders problems as a FHIR OperationOutcome. `diagnostics` starts with the national code in
 * parentheses when one exists, the style senders' software already parses. Past
 * MAX_LISTED_PROBLEMS, one last issue says how many more there are.
 */
export const toOperationOutcome = (problems: readonly Problem[]): OperationOutcome => {
  const unlisted = problems.length - MAX_LISTED_PROBLEMS;
  const listed = unlisted > 0 ? problems.slice(0, MAX_LISTED_PROBLEMS) : problems;
  return {
    resourceType: 'OperationOutcome',
    issue: [
      ...listed.map(toIssue),
      ...(unlisted > 0
        ? [
            toIssue({
              code: 'NEXO_ERR_TOO_MANY_PROBLEMS',
              message: `${unlisted} more problems are not listed; correct the ones above and validate again.`,
            }),
          ]
        : []),
    ],
  };
};

/** Every code an issue can carry in `details.coding`, errors and warnings. */
const SPECS: Readonly<Record<Warning['code'], NexoErrorSpec | NexoWarningSpec>> = {
  ...NEXO_ERRORS,
  ...NEXO_WARNINGS,
};

const toIssue = (problem: Problem | Warning): OperationOutcomeIssue => {
  const spec = SPECS[problem.code];
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

/**
 * The OperationOutcome that accompanies a success (a 201, a 200 of `$validate`): what happened,
 * then each warning as the same issue an error would be (issue type, Nexo code in `details.coding`,
 * FHIRPath), so every answer that carries a warning carries it in one shape.
 */
export const successOutcome = (message: string, warnings: readonly Warning[] = []): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'information', code: 'informational', diagnostics: message }, ...warnings.map(toIssue)],
});
