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
 * Renders problems as a FHIR OperationOutcome. `diagnostics` starts with the national code in
 * parentheses when one exists, the style senders' software already parses.
 */
export const toOperationOutcome = (problems: readonly Problem[]): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: problems.map(toIssue),
});

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
