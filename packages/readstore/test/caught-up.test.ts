/** A read that finds nothing waits for the projector, boundedly, then reads once more. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { READ_MODELS_WAIT_MS, readCaughtUp, waitForReadModels } from '../src/index.ts';

describe('waiting for the read models to catch up', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const settled = (promise: Promise<unknown>) => {
    const state = { done: false };
    void promise.then(() => (state.done = true));
    return state;
  };

  it('ends when the projector caught up', async () => {
    let release = () => undefined as void;
    const wait = settled(waitForReadModels(() => new Promise<void>((resolve) => (release = resolve))));
    await vi.advanceTimersByTimeAsync(10);
    expect(wait.done).toBe(false);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(wait.done).toBe(true);
  });

  it('ends after a second when the projector never catches up', async () => {
    const wait = settled(waitForReadModels(() => new Promise<void>(() => undefined)));
    await vi.advanceTimersByTimeAsync(READ_MODELS_WAIT_MS - 1);
    expect(wait.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.done).toBe(true);
    expect(READ_MODELS_WAIT_MS).toBe(1_000);
  });

  it('ends at once when the projector stopped or failed', async () => {
    const wait = settled(waitForReadModels(() => Promise.reject(new Error('stopped'))));
    await vi.advanceTimersByTimeAsync(0);
    expect(wait.done).toBe(true);
  });

  it('reads again only after a miss, and only when a projector runs in the process', async () => {
    const reads: string[] = [];
    const caughtUp = vi.fn(async () => void reads.push('caught up'));
    const found = async () => (reads.push('read'), 'entry');
    const missing = async () => (reads.push('read'), undefined);

    expect(await readCaughtUp(found, caughtUp)).toBe('entry');
    expect(reads.splice(0)).toEqual(['read']);

    expect(await readCaughtUp(missing, caughtUp)).toBeUndefined();
    expect(reads.splice(0)).toEqual(['read', 'caught up', 'read']);

    expect(await readCaughtUp(missing, undefined)).toBeUndefined();
    expect(reads.splice(0)).toEqual(['read']);

    let projected = false;
    const lagging = async () => (projected ? 'entry' : undefined);
    expect(await readCaughtUp(lagging, async () => void (projected = true))).toBe('entry');
  });
});
