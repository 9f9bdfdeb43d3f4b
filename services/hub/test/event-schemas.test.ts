import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { example, riaBundle, startHub, tempDataDir, type RunningHub } from './hub-harness.ts';

const SCHEMAS = new URL('../../../schemas/events/', import.meta.url);

describe('every event the hub writes matches its schema in schemas/events', () => {
  const data = tempDataDir();
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub(data.dir);
  });
  afterAll(async () => {
    await hub.stop();
    data.remove();
  });

  it('RecordSubmitted, ResendIgnored, RecordReplaced, RecordCancelled and SubmissionRejected all validate', async () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validators = new Map(
      readdirSync(SCHEMAS).map((file) => {
        const schema = JSON.parse(readFileSync(new URL(file, SCHEMAS), 'utf8')) as { title: string };
        return [file.replace('.json', ''), ajv.compile(schema)];
      }),
    );
    const first = await hub.post('/fhir/r4/Bundle', example('ria-r'));
    await hub.post('/fhir/r4/Bundle', example('ria-r'));
    const id = (first.headers.get('location') ?? '').split('/').at(-1) ?? '';
    const second = await hub.post('/fhir/r4/Bundle', riaBundle({ lot: 'NEW', replaces: id }));
    const secondId = (second.headers.get('location') ?? '').split('/').at(-1) ?? '';
    await hub.post(
      '/fhir/r4/Bundle',
      riaBundle({ lot: 'NEW', replaces: secondId, status: 'entered-in-error' }),
    );
    await hub.post('/fhir/r4/Bundle', { resourceType: 'Bundle' });

    const events = await hub.hub.engines.store.readAll(0, 100);
    expect(events.map((e) => e.type)).toEqual([
      'RecordSubmitted',
      'ResendIgnored',
      'RecordReplaced',
      'RecordCancelled',
      'SubmissionRejected',
    ]);
    for (const event of events) {
      const validate = validators.get(`${event.type}.v${event.schemaVersion}`);
      expect(validate, `schema for ${event.type} v${event.schemaVersion}`).toBeDefined();
      const valid = validate?.(JSON.parse(JSON.stringify(event)));
      expect(validate?.errors ?? [], event.type).toEqual([]);
      expect(valid).toBe(true);
    }
  });
});
