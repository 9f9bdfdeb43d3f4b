import { NexoError } from '@nexo/fhir';

/** Media ranges under which each answer is acceptable; `*` ranges accept both, PDF winning ties. */
const PDF_RANGES = new Set(['application/pdf', 'application/*', '*/*']);
const JSON_RANGES = new Set(['application/json', 'application/fhir+json', 'application/*', '*/*']);

const unparsable = (message: string): NexoError =>
  new NexoError('NEXO_ERR_UNPARSABLE', [{ code: 'NEXO_ERR_UNPARSABLE', expression: 'format', message }]);

/**
 * PDF or JSON: `format` (pdf, json) wins over `Accept`; no Accept means PDF; an Accept that
 * allows neither is 406.
 */
export const answerFormat = (format: string | undefined, accept: string | undefined): 'pdf' | 'json' => {
  if (format !== undefined) {
    if (format === 'pdf' || format === 'json') return format;
    throw unparsable('format must be pdf or json.');
  }
  if (!accept || accept.trim() === '') return 'pdf';
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { type, q: Number.isFinite(weight) ? weight : 0 };
  });
  const weight = (accepted: ReadonlySet<string>) =>
    Math.max(0, ...ranges.filter((r) => accepted.has(r.type)).map((r) => r.q));
  const pdf = weight(PDF_RANGES);
  const json = weight(JSON_RANGES);
  if (pdf > 0 && pdf >= json) return 'pdf';
  if (json > 0) return 'json';
  throw new NexoError('NEXO_ERR_NOT_ACCEPTABLE', [
    {
      code: 'NEXO_ERR_NOT_ACCEPTABLE',
      expression: 'Accept',
      message: 'the certificate is available as application/pdf or application/json.',
    },
  ]);
};
