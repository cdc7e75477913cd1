import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadChunk, onSlowChunk, SLOW_CHUNK_MS } from './chunks';

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
