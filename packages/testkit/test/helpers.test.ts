import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citizenKey, newEvent, newEvents, removeTempDir, tempDir, uuidV7 } from '../src/index.ts';

describe('testkit helpers', () => {
  it('uuidV7 makes RFC 9562 version-7 ids whose prefix follows the clock', () => {
    const early = uuidV7(Date.parse('2024-01-01T00:00:00Z'));
    const late = uuidV7(Date.parse('2025-01-01T00:00:00Z'));
    for (const id of [early, late, uuidV7()]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(early.slice(0, 13)).toBe('018cc251-f400');
    expect(early < late).toBe(true);
    expect(new Set(Array.from({ length: 1_000 }, () => uuidV7(0))).size).toBe(1_000);
  });

  it('newEvent builds a complete event with fresh ids, and overrides any field', () => {
    const [a, b] = newEvents(2);
    expect(a?.id).not.toBe(b?.id);
    expect(a).toEqual({
      id: expect.any(String) as unknown,
      type: 'RecordSubmitted',
      schemaVersion: 1,
      occurredAt: expect.any(String) as unknown,
      sender: '2077485',
      citizenKey: 'cns:700000000000000',
      correlationId: expect.any(String) as unknown,
      data: expect.anything() as unknown,
    });
    const custom = newEvent({ type: 'RecordCancelled', citizenKey: citizenKey(42), data: null });
    expect(custom).toMatchObject({ type: 'RecordCancelled', citizenKey: 'cns:700000000000042', data: null });
  });

  it('tempDir creates a private directory that removeTempDir deletes', async () => {
    const dir = await tempDir('nexo-helpers-');
    await writeFile(join(dir, 'file.db'), 'x');
    expect(existsSync(join(dir, 'file.db'))).toBe(true);
    await removeTempDir(dir);
    expect(existsSync(dir)).toBe(false);
  });
});
