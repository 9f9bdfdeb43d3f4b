/**
 * The JSON Schemas of schemas/events, compiled once per test file: tests that write events through
 * the hub assert with `expectEventsMatchSchemas` that the log holds what the schemas promise.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import type { StoredEvent } from '@nexo/eventstore';

const SCHEMAS = new URL('../../../schemas/events/', import.meta.url);

let compiled: ReadonlyMap<string, ValidateFunction> | undefined;

/** `<type>.v<schemaVersion>` → its validator, strict, every error reported. */
const validators = (): ReadonlyMap<string, ValidateFunction> => {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  compiled = new Map(
    readdirSync(SCHEMAS).map((file) => [
      file.replace('.json', ''),
      ajv.compile(JSON.parse(readFileSync(new URL(file, SCHEMAS), 'utf8')) as object),
    ]),
  );
  return compiled;
};

/** Every event has a schema for its type and version, and matches it as the JSON it is stored as. */
export const expectEventsMatchSchemas = (events: readonly StoredEvent[]): void => {
  for (const event of events) {
    const validate = validators().get(`${event.type}.v${event.schemaVersion}`);
    expect(validate, `schema for ${event.type} v${event.schemaVersion}`).toBeDefined();
    const valid = validate?.(JSON.parse(JSON.stringify(event)));
    expect(validate?.errors ?? [], event.type).toEqual([]);
    expect(valid, event.type).toBe(true);
  }
};
