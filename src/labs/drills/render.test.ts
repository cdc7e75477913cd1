import { describe, expect, it } from 'vitest';
import { clock, taskHtml } from './render';

describe('taskHtml', () => {
  it('renders paragraphs, code spans and lists', () => {
    expect(taskHtml('Create `red`.\n- one `a`\n- two\nThen stop.')).toBe(
      '<p>Create <code>red</code>.</p><ul><li>one <code>a</code></li><li>two</li></ul><p>Then stop.</p>',
    );
  });

  it('escapes markup, also inside code', () => {
    expect(taskHtml('a <b> & `x<y>`')).toBe('<p>a &lt;b&gt; &amp; <code>x&lt;y&gt;</code></p>');
  });
});

describe('clock', () => {
  it('formats minutes and hours, rounding up partial seconds', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(61_001)).toBe('1:02');
    expect(clock(3_723_000)).toBe('1:02:03');
    expect(clock(-5)).toBe('0:00');
  });
});
