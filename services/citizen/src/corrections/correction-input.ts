import { NexoError } from '@nexo/fhir';
import { isCorrectionRating, parseProtocol, CORRECTION_RATINGS, type CorrectionRating } from '@nexo/domain';

const invalid = (expression: string, message: string): NexoError =>
  new NexoError('NEXO_ERR_VALIDATION_REQUIRED', [
    { code: 'NEXO_ERR_VALIDATION_REQUIRED', expression, message },
  ]);

/** The JSON object a command posts; any field outside `allowed` is refused, never ignored. */
export const objectBody = (body: unknown, allowed: readonly string[]): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('$', 'the body must be a JSON object.');
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined)
    throw invalid(unknown.slice(0, 40), `unknown field; this request takes ${allowed.join(', ')}.`);
  return body as Record<string, unknown>;
};

/** A text field; its length is checked by the domain (1 to 2,000 characters). */
export const textField = (body: Record<string, unknown>, field: string): string => {
  const value = body[field];
  if (typeof value !== 'string') throw invalid(field, `${field} is required, as text.`);
  return value;
};

export const optionalText = (body: Record<string, unknown>, field: string): string | undefined =>
  body[field] === undefined ? undefined : textField(body, field);

const ratingOf = (value: unknown): CorrectionRating => {
  if (!isCorrectionRating(value))
    throw invalid('rating', `rating must be one of ${CORRECTION_RATINGS.join(', ')}.`);
  return value;
};

export const ratingField = (body: Record<string, unknown>): CorrectionRating => ratingOf(body.rating);

export const optionalRating = (body: Record<string, unknown>): CorrectionRating | undefined =>
  body.rating === undefined ? undefined : ratingOf(body.rating);

/** A confirmation's comment without a rating: there would be nothing to keep it with. */
export const commentWithoutRating = (): NexoError =>
  invalid('rating', 'a comment goes with a rating: send rating too, or leave comment out.');

/** A protocol from the path; anything else answers like an unknown request. */
export const protocolParam = (text: string): string => {
  if (!parseProtocol(text))
    throw new NexoError('NEXO_ERR_NOT_FOUND', 'no such correction request; protocols look like 2026-000123.');
  return text;
};
