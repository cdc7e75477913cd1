import { describe, expect, it } from 'vitest';
import { decodeLastPage, encodeLastPage } from './last-page-store';

describe('the last page read', () => {
  it('round-trips', () => {
    const p = { path: '/netlab/namespaces/', title: 'Network namespaces', at: 1700000000000 };
    expect(decodeLastPage(encodeLastPage(p))).toEqual(p);
  });

  it('reads anything else as nothing saved', () => {
    for (const bad of [null, '', '{', '[]', '{"path":"/x/"}', '{"path":"javascript:alert(1)","title":"x","at":1}', '{"path":"//evil.example/","title":"x","at":1}', '{"path":"/x/","title":"","at":1}', '{"path":"/x/","title":"t","at":-1}'])
      expect(decodeLastPage(bad)).toBeNull();
  });
});
