import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentValidator, type DocumentValidator } from '@nexo/fhir';
import { openIngest, riaBundle, type IngestUnderTest } from './ingest-harness.ts';

const ROUTE_CODE = 'Bundle.entry[1].resource.route.coding[0].code';

/**
 * The rules before a release tightened them: RIA-R took the route codes 1–6 of RIA 1.0's guide.
 * Today's validator, shown the document with a current route code instead.
 */
const rules = (): DocumentValidator & { tighten(): void } => {
  const current = createDocumentValidator();
  let earlier = true;
  return {
    profiles: current.profiles,
    codeSystems: current.codeSystems,
    tighten: () => {
      earlier = false;
    },
    validate: (input, options) => {
      if (!earlier) return current.validate(input, options);
      const lenient = structuredClone(input) as ReturnType<typeof riaBundle>;
      lenient.entry[1]!.resource.route.coding[0].code = '10916';
      return current.validate(lenient, options);
    },
  };
};

/** A version the rules of its day accepted, under route code 3 (subcutânea in RIA 1.0's guide). */
const acceptedEarlier = (identifier: string) => {
  const bundle = riaBundle(identifier);
  bundle.entry[1]!.resource.route.coding[0].code = '3';
  return bundle;
};

/**
 * A resend answers the original outcome whatever happened since (docs/senders.md), a release that
 * refuses what the document holds included: the sender retrying a document Nexo accepted gets the
 * record id it was accepted as, never a 422 for content Nexo already keeps.
 */
describe('a resend of a version accepted before the rules were tightened', () => {
  const validator = rules();
  let ingest: IngestUnderTest;
  beforeAll(async () => {
    ingest = await openIngest({ projector: false, validator });
  });
  afterAll(() => ingest.close());

  it('is answered as a resend of its record; other content under today’s rules is still refused', async () => {
    const original = await ingest.accepted(acceptedEarlier('earlier-rules-1'));
    validator.tighten();
    const resend = await ingest.post(acceptedEarlier('earlier-rules-1'));
    expect(resend).toEqual({
      status: 201,
      type: 'application/fhir+json; charset=utf-8',
      location: `http://localhost:80/fhir/r4/Bundle/${original}`,
      body: {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'information',
            code: 'informational',
            diagnostics: `resend of record ${original}: nothing changed`,
          },
        ],
      },
    });
    const changed = acceptedEarlier('earlier-rules-1');
    changed.entry[1]!.resource.lotNumber = 'OTHER1';
    const refused = await ingest.post(changed);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      issue: [{ details: { coding: [{ code: 'NEXO_ERR_VALIDATION_CODE' }] }, expression: [ROUTE_CODE] }],
    });
    const elsewhere = await ingest.post(acceptedEarlier('earlier-rules-2'));
    expect(elsewhere.status).toBe(422);
  });
});
