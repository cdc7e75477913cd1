import { describe, expect, it } from 'vitest';
import { PrefixWriter, tabwrite } from './tabwriter';

describe('tabwriter (Go text/tabwriter, padding 2)', () => {
  it('aligns a column over a block of lines and restarts after a line without tabs', () => {
    expect(tabwrite('Name:\tweb\nNamespace:\tdefault\nPlain line\nIP:\t10.0.0.1\n')).toBe('Name:       web\nNamespace:  default\nPlain line\nIP:  10.0.0.1\n');
  });
  it('does not widen a column with the text after the last tab, and pads empty cells', () => {
    expect(tabwrite('a\tb\tc\nlonger\t\tx\n')).toBe('a       b  c\nlonger     x\n');
  });
  it('nested columns: an inner column block is limited by its outer block', () => {
    const w = new PrefixWriter();
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    w.write(1, 'Ready \tTrue \n');
    w.write(1, 'PodScheduled \tTrue \n');
    expect(w.toString()).toBe('Conditions:\n  Type           Status\n  Ready          True \n  PodScheduled   True \n');
  });
});
