import {
  NEXO_ERROR_SYSTEM,
  createDocumentValidator,
  successOutcome,
  toOperationOutcome,
  type Warning,
} from '@nexo/fhir';
import { describe, expect, it } from 'vitest';
import { relDocument, setAt } from './fixtures/index.ts';

const validator = createDocumentValidator();
const NOW = { now: new Date('2025-06-01T12:00:00Z') };

describe('successOutcome: a success answer and its warnings', () => {
  it('renders a document warning as the issue an error would be: issue type, Nexo code, FHIRPath', () => {
    const bundle = relDocument();
    setAt(bundle, 'entry[1].resource.effectiveDateTime', '2025-02-10');
    const result = validator.validate(bundle, NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));

    expect(successOutcome('accepted: RecordSubmitted rec-1', result.document.warnings)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'information', code: 'informational', diagnostics: 'accepted: RecordSubmitted rec-1' },
        {
          severity: 'warning',
          code: 'processing',
          details: {
            coding: [
              {
                system: NEXO_ERROR_SYSTEM,
                code: 'NEXO_ERR_VALIDATION_PROFILE',
                display: 'the document breaks its profile',
              },
            ],
          },
          diagnostics: expect.stringMatching(/^Observation\.effectiveDateTime: .*forbids effective\[x\]/),
          expression: ['Bundle.entry[1].resource.effectiveDateTime'],
        },
      ],
    });
  });

  it('answers a warning in the same issue whether the document is accepted or rejected', () => {
    const accepted = relDocument();
    setAt(accepted, 'entry[1].resource.effectiveDateTime', '2025-02-10');
    const rejected = structuredClone(accepted);
    setAt(rejected, 'entry[1].resource.status', 'preliminary');
    const valid = validator.validate(accepted, NOW);
    const invalid = validator.validate(rejected, NOW);
    if (!valid.ok || invalid.ok) throw new Error('expected one valid and one invalid document');

    const warningIn = (issues: ReturnType<typeof toOperationOutcome>['issue']) =>
      issues.filter((issue) => issue.severity === 'warning');
    expect(warningIn(toOperationOutcome(invalid.problems).issue)).toEqual(
      warningIn(successOutcome('accepted', valid.document.warnings).issue),
    );
    expect(warningIn(toOperationOutcome(invalid.problems).issue)).toHaveLength(1);
  });

  it('renders a warning code with its own issue type and title', () => {
    const warning: Warning = {
      code: 'NEXO_WARN_RECORD_NOT_CURRENT',
      severity: 'warning',
      expression: 'Bundle.identifier',
      message: 'this document is a resend of record rec-1, which is no longer current.',
    };
    expect(successOutcome('resend of record rec-1: nothing changed', [warning]).issue).toEqual([
      {
        severity: 'information',
        code: 'informational',
        diagnostics: 'resend of record rec-1: nothing changed',
      },
      {
        severity: 'warning',
        code: 'informational',
        details: {
          coding: [
            {
              system: NEXO_ERROR_SYSTEM,
              code: 'NEXO_WARN_RECORD_NOT_CURRENT',
              display: 'the resent record is no longer current',
            },
          ],
        },
        diagnostics: 'this document is a resend of record rec-1, which is no longer current.',
        expression: ['Bundle.identifier'],
      },
    ]);
  });

  it('without warnings, is the information issue alone', () => {
    expect(successOutcome('accepted: RecordSubmitted rec-1')).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'information', code: 'informational', diagnostics: 'accepted: RecordSubmitted rec-1' },
      ],
    });
  });
});
