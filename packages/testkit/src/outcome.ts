/** An OperationOutcome issue as the hub answers it, for tests that read `issue` from a response. */
export interface OutcomeIssue {
  readonly severity: string;
  readonly code: string;
  readonly diagnostics: string;
  readonly expression?: string[];
  readonly details?: { readonly coding?: Array<{ system?: string; code: string; display?: string }> };
}
