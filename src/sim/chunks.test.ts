import { afterEach, describe, expect, it, vi } from 'vitest';
import { chunkOnce, loadChunk, onSlowChunk, SLOW_CHUNK_MS } from './chunks';

describe('loadChunk', () => {
  afterEach(() => {
    onSlowChunk(null);
    vi.useRealTimers();
  });

  it('reports a load that takes longer than SLOW_CHUNK_MS, with the promise that ends it', async () => {
    vi.useFakeTimers();
    const slow: string[] = [];
    onSlowChunk((name) => slow.push(name));
    let finish!: (v: string) => void;
    const p = loadChunk('jq', () => new Promise<string>((r) => (finish = r)));
    vi.advanceTimersByTime(SLOW_CHUNK_MS - 1);
    expect(slow).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(slow).toEqual(['jq']);
    finish('module');
    expect(await p).toBe('module');
  });

  it('says nothing for a load that ends in time', async () => {
    vi.useFakeTimers();
    const slow: string[] = [];
    onSlowChunk((name) => slow.push(name));
    const p = loadChunk('cat', () => Promise.resolve(1));
    await p;
    vi.advanceTimersByTime(SLOW_CHUNK_MS * 2);
    expect(slow).toEqual([]);
  });
});

describe('chunkOnce', () => {
  it('loads a chunk once for every later call, and tries a failed load again', async () => {
    let calls = 0;
    let fail = true;
    const get = chunkOnce('x', async () => {
      calls++;
      if (fail) throw new Error('offline');
      return calls;
    });
    await expect(get()).rejects.toThrow('offline');
    fail = false;
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
    expect(calls).toBe(2);
  });
});
