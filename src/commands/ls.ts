// ls on a terminal: GNU ls lists names in columns (-C) when stdout is a
// terminal and one per line otherwise. just-bash's ls prints one per line
// always; this wraps it and lays the names out as GNU ls 9.1 does: column-
// major, as many columns as fit in the terminal width, each column as wide
// as its longest name plus two spaces (the last column unpadded). Like GNU
// ls (tabsize 8), the gap to the next column is made of tabs wherever it
// crosses a tab stop, and of spaces otherwise.
import type { NetCommand } from './types';

/** GNU ls's indent(): from column `from` to column `to`, a tab whenever the next tab stop is not past `to`, else spaces. */
export function indent(from: number, to: number, tabsize = 8): string {
  let out = '';
  while (from < to) {
    if (tabsize !== 0 && Math.floor(to / tabsize) > Math.floor((from + 1) / tabsize)) {
      out += '\t';
      from += tabsize - (from % tabsize);
    } else {
      out += ' ';
      from++;
    }
  }
  return out;
}

/** GNU ls's multi-column layout of `names` for a line of `width` characters. */
export function columns(names: string[], width: number): string {
  if (names.length === 0) return '';
  const n = names.length;
  for (let cols = Math.min(n, Math.max(1, Math.floor(width / 3))); cols >= 1; cols--) {
    const rows = Math.ceil(n / cols);
    const used = Math.ceil(n / rows);
    if (used < cols && cols > 1) continue;
    const widths: number[] = [];
    for (let c = 0; c < used; c++) {
      let w = 0;
      for (let r = 0; r < rows; r++) {
        const name = names[c * rows + r];
        if (name !== undefined) w = Math.max(w, name.length);
      }
      widths.push(w + (c < used - 1 ? 2 : 0));
    }
    if (cols > 1 && widths.reduce((a, b) => a + b, 0) > width) continue;
    let out = '';
    for (let r = 0; r < rows; r++) {
      let line = '';
      let pos = 0;
      for (let c = 0; c < used; c++) {
        const name = names[c * rows + r];
        if (name === undefined) continue;
        line += name;
        const last = c === used - 1 || names[(c + 1) * rows + r] === undefined;
        if (last) break;
        line += indent(pos + name.length, pos + widths[c]!);
        pos += widths[c]!;
      }
      out += line + '\n';
    }
    return out;
  }
  return names.join('\n') + '\n';
}

/** Options that make ls print one entry per line (or a long listing) even on a terminal. */
const ONE_PER_LINE = /^-[a-zA-Z]*[l1gonsR]/;

/** GNU ls's wording of errors ("ls: cannot access 'X': ..."). */
function gnuErrors(stderr: string): string {
  return stderr.replace(/^ls: (.+): (No such file or directory|Permission denied|Not a directory)$/gm, "ls: cannot access '$1': $2");
}

export const ls: NetCommand = {
  name: 'ls',
  async run(args, io, sys) {
    if (!io.orig) return { stdout: '', stderr: 'ls: not available\n', exitCode: 2 };
    const flags = args.filter((a) => a.startsWith('-') && a !== '-' && !a.startsWith('--'));
    const raw = await io.orig(args);
    const r = { ...raw, stderr: gnuErrors(raw.stderr), stdout: raw.stdout.replace(/\n\n$/, '\n') };
    if (!sys.tty || flags.some((f) => ONE_PER_LINE.test(f)) || args.includes('--help')) return r;
    if (r.stdout === '') return r;
    // blocks: "dir:" headers and blank separators stay; the names between are laid out in columns
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    const out: string[] = [];
    let run: string[] = [];
    const flush = () => {
      if (run.length) out.push(columns(run, sys.columns).replace(/\n$/, ''));
      run = [];
    };
    const multiple = args.filter((a) => !a.startsWith('-')).length > 1;
    for (const l of lines) {
      if (l === '' || (multiple && l.endsWith(':'))) {
        flush();
        out.push(l);
      } else run.push(l);
    }
    flush();
    return { ...r, stdout: out.join('\n') + '\n' };
  },
};
