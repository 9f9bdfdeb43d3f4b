/**
 * Every error the hub can answer, in one registry: our code, the HTTP status, the FHIR
 * OperationOutcome issue type, and the national network's EHR-ERR code where one exists
 * (senders' software built for the national network recognises those in `diagnostics`).
 * Code checks `err.code` against these, never `instanceof`.
 */
export const NEXO_ERRORS = {
  NEXO_ERR_UNPARSABLE: {
    status: 400,
    issueType: 'structure',
    title: 'the request cannot be read: a body that is not JSON (UTF-8), or a malformed query parameter',
  },
  NEXO_ERR_TOO_DEEP: { status: 400, issueType: 'too-costly', title: 'the body nests deeper than allowed' },
  NEXO_ERR_UNSAFE_KEY: {
    status: 400,
    issueType: 'structure',
    title: 'the body uses a property name reserved by the platform',
  },
  NEXO_ERR_UNAUTHENTICATED: {
    status: 401,
    issueType: 'security',
    title: 'authentication required',
  },
  // The national network's ERR882 means the token expired: a client answers it by getting a new
  // token. A revoked token (a rotated secret) asks the same of it; a missing or forged one does not.
  NEXO_ERR_TOKEN_EXPIRED: {
    status: 401,
    issueType: 'security',
    title: 'the token expired or was revoked: get a new one',
    ehr: 'EHR-ERR882',
  },
  NEXO_ERR_FORBIDDEN: { status: 403, issueType: 'security', title: 'not allowed for this client' },
  NEXO_ERR_NOT_FOUND: { status: 404, issueType: 'not-found', title: 'no such resource' },
  NEXO_ERR_METHOD_NOT_ALLOWED: { status: 405, issueType: 'not-supported', title: 'method not allowed' },
  NEXO_ERR_NOT_ACCEPTABLE: {
    status: 406,
    issueType: 'not-supported',
    title: 'the requested format is not available',
  },
  NEXO_ERR_ESTABLISHMENT_EXISTS: {
    status: 409,
    issueType: 'duplicate',
    title: 'the establishment is already registered',
  },
  NEXO_ERR_IDENTITY_CONFLICT: {
    status: 409,
    issueType: 'conflict',
    title: 'the identity change conflicts with the registry',
  },
  NEXO_ERR_CORRECTION_STATE: {
    status: 409,
    issueType: 'conflict',
    title: 'the correction request does not allow this action now',
  },
  NEXO_ERR_PRECONDITION: {
    status: 412,
    issueType: 'conflict',
    title: 'a condition of the request (If-Match, If-Unmodified-Since) does not hold',
  },
  NEXO_ERR_TOO_LARGE: { status: 413, issueType: 'too-costly', title: 'the request exceeds a size limit' },
  NEXO_ERR_MEDIA_TYPE: { status: 415, issueType: 'not-supported', title: 'unsupported content type' },
  NEXO_ERR_RANGE: { status: 416, issueType: 'value', title: 'the requested byte range is not in the file' },
  NEXO_ERR_EXPECTATION: {
    status: 417,
    issueType: 'not-supported',
    title: 'the Expect header asks for what the server does not do',
  },
  NEXO_ERR_VALIDATION_STRUCTURE: {
    status: 422,
    issueType: 'structure',
    title: 'the document does not follow FHIR R4',
  },
  NEXO_ERR_VALIDATION_PROFILE: {
    status: 422,
    issueType: 'processing',
    title: 'the document breaks its profile',
  },
  NEXO_ERR_VALIDATION_REQUIRED: {
    status: 422,
    issueType: 'required',
    title: 'a required element is missing',
  },
  NEXO_ERR_VALIDATION_CODE: {
    status: 422,
    issueType: 'code-invalid',
    title: 'a code is not in its code system',
  },
  NEXO_ERR_VALIDATION_IDENTIFIER: { status: 422, issueType: 'value', title: 'an identifier is invalid' },
  NEXO_ERR_VALIDATION_REFERENCE: {
    status: 422,
    issueType: 'processing',
    title: 'a reference does not resolve',
  },
  NEXO_ERR_VALIDATION_DATE: { status: 422, issueType: 'value', title: 'a date is invalid' },
  NEXO_ERR_VALIDATION_TOO_LONG: {
    status: 422,
    issueType: 'too-long',
    title: 'a text is longer than the hub accepts for its element',
  },
  NEXO_ERR_TOO_MANY_PROBLEMS: {
    status: 422,
    issueType: 'too-costly',
    title: 'more problems than one answer lists',
  },
  NEXO_ERR_BUSINESS_RULE: { status: 422, issueType: 'business-rule', title: 'a business rule is broken' },
  NEXO_ERR_STATUS_NOT_FINAL: {
    status: 422,
    issueType: 'processing',
    title: 'Composition.status must be final on submission',
    ehr: 'EHR-ERR924',
  },
  NEXO_ERR_UNKNOWN_SOLICITANTE: {
    status: 422,
    issueType: 'processing',
    title: 'unknown Bundle.identifier system',
    ehr: 'EHR-ERR881',
  },
  NEXO_ERR_UNKNOWN_TARGET: {
    status: 422,
    issueType: 'processing',
    title: 'the record to replace or cancel does not exist',
  },
  // A resent identifier with other content, and a replacement of a record that is no longer current:
  // conflicts by nature, but the national network answers 422 to every business or validation
  // error (EHR-ERR866 included), and senders' software built for it decides on the status alone.
  NEXO_ERR_IDENTIFIER_CONFLICT: {
    status: 422,
    issueType: 'duplicate',
    title: 'the Bundle.identifier was already used for other content',
    ehr: 'EHR-ERR866',
  },
  NEXO_ERR_STALE_REPLACEMENT: {
    status: 422,
    issueType: 'conflict',
    title: 'the record to replace or cancel is not the current version',
  },
  NEXO_ERR_RECORD_CANCELLED: {
    status: 422,
    issueType: 'conflict',
    title: 'the record to replace or cancel was cancelled',
  },
  NEXO_ERR_CERTIFICATE_UNAVAILABLE: {
    status: 422,
    issueType: 'business-rule',
    title: 'no certificate can be issued from these records',
  },
  NEXO_ERR_RATE_LIMITED: { status: 429, issueType: 'throttled', title: 'too many requests' },
  NEXO_ERR_TIMEOUT: { status: 408, issueType: 'timeout', title: 'the request took too long' },
  NEXO_ERR_UNAVAILABLE: { status: 503, issueType: 'transient', title: 'the hub is not ready' },
  NEXO_ERR_INTERNAL: { status: 500, issueType: 'exception', title: 'internal error' },
} as const satisfies Record<string, NexoErrorSpec>;

export interface NexoErrorSpec {
  readonly status: number;
  /** FHIR IssueType (http://hl7.org/fhir/issue-type). */
  readonly issueType: string;
  readonly title: string;
  /** The national network's code for the same condition, shown as `(EHR-ERRnnn)` in diagnostics. */
  readonly ehr?: string;
}

export type NexoErrorCode = keyof typeof NEXO_ERRORS;

/**
 * Every warning the hub can answer beside a success (a 201, or a 200 of `$validate`) that no error
 * code describes: our code and the FHIR issue type. A warning never sets the HTTP status. A
 * condition an error code already names, tolerated in one place, keeps that code with severity
 * `warning` instead (Observation.effective[x] is `NEXO_ERR_VALIDATION_PROFILE`).
 */
export const NEXO_WARNINGS = {
  NEXO_WARN_RECORD_NOT_CURRENT: {
    issueType: 'informational',
    title: 'the resent record is no longer current',
  },
  NEXO_WARN_ACCEPTED_BEFORE_CHECKS: {
    issueType: 'informational',
    title: 'the resent document was accepted before checks it now fails',
  },
} as const satisfies Record<string, NexoWarningSpec>;

export interface NexoWarningSpec {
  /** FHIR IssueType (http://hl7.org/fhir/issue-type). */
  readonly issueType: string;
  readonly title: string;
}

export type NexoWarningCode = keyof typeof NEXO_WARNINGS;

/** The code system under which Nexo's own error and warning codes appear in `issue.details.coding`. */
export const NEXO_ERROR_SYSTEM = 'https://nexo.saude.example/fhir/CodeSystem/nexo-error';

/** One problem, before it is rendered as an OperationOutcome issue. */
export interface Problem {
  readonly code: NexoErrorCode;
  readonly severity?: 'fatal' | 'error' | 'warning' | 'information';
  /** What is wrong and what to do, in words a sender's developer can act on. Never input data. */
  readonly message: string;
  /** FHIRPath of the element, e.g. `Bundle.entry[1].resource.occurrenceDateTime`. */
  readonly expression?: string;
}

/**
 * What accompanies a success (the document was accepted, or would be, all the same): a warning
 * code, or an error code for a condition the hub tolerates at that place. Never sets the status.
 */
export interface Warning {
  readonly code: NexoErrorCode | NexoWarningCode;
  readonly severity: 'warning';
  /** What to look at and what to do, in words a sender's developer can act on. Never input data. */
  readonly message: string;
  /** FHIRPath of the element the warning is about. */
  readonly expression?: string;
}

/** An error carrying problems; thrown inside the hub and rendered once at the edge. */
export class NexoError extends Error {
  readonly code: NexoErrorCode;
  readonly status: number;
  readonly problems: readonly Problem[];
  /** Sent as `Retry-After` (a 429 or 503 that knows when to come back). */
  readonly retryAfterSeconds?: number;
  constructor(
    code: NexoErrorCode,
    problems: readonly Problem[] | string,
    options: { readonly retryAfterSeconds?: number } = {},
  ) {
    const list = typeof problems === 'string' ? [{ code, message: problems }] : problems;
    super(list[0]?.message ?? NEXO_ERRORS[code].title);
    this.code = code;
    this.status = NEXO_ERRORS[code].status;
    this.problems = list;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isNexoError = (err: unknown): err is NexoError =>
  typeof err === 'object' &&
  err !== null &&
  typeof (err as { code?: unknown }).code === 'string' &&
  Object.hasOwn(NEXO_ERRORS, (err as { code: string }).code) &&
  Array.isArray((err as { problems?: unknown }).problems);

/** The HTTP status for a set of problems: the status of the first error-level problem. */
export const statusOf = (problems: readonly Problem[]): number => {
  const first = problems.find((p) => (p.severity ?? 'error') === 'error' || p.severity === 'fatal');
  return first ? NEXO_ERRORS[first.code].status : 200;
};
