import { describe, expect, it } from 'vitest';
import { attemptStoreKey, limitFromUrl, loadAttempt, remaining } from './attempt';

describe('drill attempts', () => {
  it('count down from the moment the lab was ready', () => {
    const a = { ...loadAttempt('none', 60_000), startedAt: 1_000 };
    expect(remaining({ ...a, startedAt: null }, 99_999)).toBe(60_000);
    expect(remaining(a, 31_000)).toBe(30_000);
    expect(remaining(a, 71_000)).toBe(-10_000);
  });

  it('take a time limit override from the URL, in seconds', () => {
    expect(limitFromUrl(new URLSearchParams('limit=90'))).toBe(90_000);
    for (const bad of ['limit=0', 'limit=-5', 'limit=abc', 'limit=1.5', ''])
      expect(limitFromUrl(new URLSearchParams(bad)), bad).toBeNull();
  });

  it('keep one record per drill, seed and time budget', () => {
    expect(attemptStoreKey('a', 1, 60_000)).not.toBe(attemptStoreKey('a', 2, 60_000));
    expect(attemptStoreKey('a', 1, 60_000)).not.toBe(attemptStoreKey('a', 1, 2_000));
  });
});
