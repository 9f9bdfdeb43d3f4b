import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapabilityTool, Client, RESPONSE_KEY, type FhirResource, type FhirResponse } from 'fhir-kit-client';
import { SENDER, example, riaBundle, startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

/** The Response behind a fhir-kit-client result (it keeps it under a non-enumerable key). */
const responseOf = (result: FhirResponse): Response | undefined => result[RESPONSE_KEY];

/** A document as fhir-kit-client types a resource. */
const resource = (body: Record<string, unknown>): FhirResource => ({ resourceType: 'Bundle', ...body });

/** What fhir-kit-client throws on a non-2xx answer. */
interface ClientError {
  response: { status: number; data: { resourceType: string; issue: Array<{ expression?: string[] }> } };
}

/**
 * Interoperability: a third-party FHIR client from npm, used as its documentation says, with
 * nothing but the base URL and a bearer token, talks to Nexo.
 */
describe('a third-party FHIR client (fhir-kit-client) against the hub', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  let client: Client;

  beforeAll(async () => {
    hub = await startHub(data.dir);
    client = new Client({ baseUrl: `${hub.url}/fhir/r4`, bearerToken: `dev-establishment-${SENDER}` });
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('reads the CapabilityStatement, and its capability tool finds what Nexo supports', async () => {
    const statement = await client.capabilityStatement();
    expect(statement.resourceType).toBe('CapabilityStatement');
    const capabilities = new CapabilityTool(statement);
    expect(capabilities.resourceCan('Bundle', 'create')).toBe(true);
    expect(capabilities.resourceCan('Bundle', 'read')).toBe(true);
    expect(capabilities.resourceCan('Bundle', 'delete')).toBe(false);
    expect(capabilities.resourceCan('Patient', 'read')).toBe(false);
  });

  it('creates a Bundle, then reads it back by the id in Location', async () => {
    const created = await client.create({ resourceType: 'Bundle', body: resource(example('ria-r')) });
    expect(created.resourceType).toBe('OperationOutcome');
    const location = responseOf(created)?.headers.get('location') ?? '';
    expect(responseOf(created)?.status).toBe(201);
    const id = location.split('/').at(-1) ?? '';
    expect(location).toBe(`${hub.url}/fhir/r4/Bundle/${id}`);

    const read = (await client.read({ resourceType: 'Bundle', id })) as FhirResource & {
      id: string;
      type: string;
      identifier: unknown;
    };
    expect(read).toMatchObject({
      resourceType: 'Bundle',
      id,
      type: 'document',
      identifier: example('ria-r').identifier,
    });
  });

  it('calls $validate: valid is a resolved OperationOutcome, invalid a 422 error naming the element', async () => {
    const valid = await client.operation({
      resourceType: 'Bundle',
      name: '$validate',
      input: resource(example('ria-r')),
    });
    expect(valid).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });

    const invalid = resource(riaBundle({ identifier: 'client-invalid' })) as FhirResource & {
      entry: Array<{ resource: Record<string, unknown> }>;
    };
    delete invalid.entry[1]!.resource.lotNumber;
    const failure = (await client
      .operation({ resourceType: 'Bundle', name: '$validate', input: invalid })
      .then(
        () => undefined,
        (err: unknown) => err,
      )) as ClientError | undefined;
    expect(failure?.response.status).toBe(422);
    expect(failure?.response.data.resourceType).toBe('OperationOutcome');
    expect(failure?.response.data.issue.flatMap((i) => i.expression ?? [])).toContain(
      'Bundle.entry[1].resource.lotNumber',
    );
  });

  it('gets a 404 OperationOutcome for a record it did not send', async () => {
    const failure = (await client.read({ resourceType: 'Bundle', id: 'no-such-record' }).then(
      () => undefined,
      (err: unknown) => err,
    )) as ClientError | undefined;
    expect(failure?.response.status).toBe(404);
    expect(failure?.response.data.resourceType).toBe('OperationOutcome');
  });
});
