import { describe, expect, it } from 'vitest';
import { ANSI_NAMES, TERMINAL_THEME, contrast } from './theme';

describe('the terminal theme', () => {
  it('gives each of the 16 ANSI colours and the text at least 4.5:1 on the background', () => {
    const low = [...ANSI_NAMES, 'foreground' as const].map((n) => [n, contrast(TERMINAL_THEME[n], TERMINAL_THEME.background)] as const).filter(([, r]) => r < 4.5);
    expect(low).toEqual([]);
  });

  it('measures contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    // xterm's default ANSI blue on this background: the example of what fails
    expect(contrast('#2472c8', TERMINAL_THEME.background)).toBeLessThan(4.5);
  });
});
