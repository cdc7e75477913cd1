// ls on a terminal: GNU ls lists names in columns (-C) when stdout is a
// terminal and one per line otherwise. just-bash's ls prints one per line
// always; this wraps it and lays the names out as GNU ls 9.1 does: column-
// major, as many columns as fit in the terminal width, each column as wide
// as its longest name plus two spaces (the last column unpadded). Like GNU
// ls (tabsize 8), the gap to the next column is made of tabs wherever it
// crosses a tab stop, and of spaces otherwise.
import type { NetCommand } from './types';
import { ordered } from './types';
import { deviceAt } from '../sim/devices';
import { normPath } from '../sim/files';

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

/** GNU ls's calculate_columns(): the number of columns and their widths (each at least 3, a name plus 2 but the last column's). */
function calculateColumns(names: string[], width: number, byColumns: boolean): { cols: number; widths: number[] } {
  const n = names.length;
  let maxIdx = Math.floor(width / 3);
  if (width % 3 !== 0) maxIdx++;
  const maxCols = Math.max(1, Math.min(maxIdx, n));
  const info = Array.from({ length: maxCols }, (_, i) => ({ valid: true, lineLen: (i + 1) * 3, widths: new Array<number>(i + 1).fill(3) }));
  for (let f = 0; f < n; f++) {
    const len = names[f]!.length;
    for (let i = 0; i < maxCols; i++) {
      const c = info[i]!;
      if (!c.valid) continue;
      const idx = byColumns ? Math.floor(f / Math.floor((n + i) / (i + 1))) : f % (i + 1);
      const real = len + (idx === i ? 0 : 2);
      if (c.widths[idx]! < real) {
        c.lineLen += real - c.widths[idx]!;
        c.widths[idx] = real;
        c.valid = c.lineLen < width;
      }
    }
  }
  let cols = maxCols;
  while (cols > 1 && !info[cols - 1]!.valid) cols--;
  return { cols, widths: info[cols - 1]!.widths };
}

/**
 * GNU ls's multi-column layout of `names` for a line of `width` characters:
 * -C (print_many_per_line, sorted down the columns) or, with `across`, -x
 * (print_horizontal, sorted across the rows).
 */
export function columns(names: string[], width: number, across = false): string {
  const n = names.length;
  if (n === 0) return '';
  const { cols, widths } = calculateColumns(names, width, !across);
  let out = '';
  if (across) {
    let pos = 0;
    out += names[0]!;
    for (let f = 1; f < n; f++) {
      const col = f % cols;
      if (col === 0) {
        out += '\n';
        pos = 0;
      } else {
        out += indent(pos + names[f - 1]!.length, pos + widths[col - 1]!);
        pos += widths[col - 1]!;
      }
      out += names[f]!;
    }
    return out + '\n';
  }
  const rows = Math.ceil(n / cols);
  for (let r = 0; r < rows; r++) {
    let pos = 0;
    for (let f = r, col = 0; ; col++) {
      out += names[f]!;
      const next = f + rows;
      if (next >= n) break;
      out += indent(pos + names[f]!.length, pos + widths[col]!);
      pos += widths[col]!;
      f = next;
    }
    out += '\n';
  }
  return out;
}

/** Options that make this wrapper leave just-bash's output as it is (recursive, sizes). */
const AS_IS = /^-[a-zA-Z]*[sR]/;

/** GNU ls's wording of errors ("ls: cannot access 'X': ..."). */
function gnuErrors(stderr: string): string {
  return stderr.replace(/^ls: (.+): (No such file or directory|Permission denied|Not a directory)$/gm, "ls: cannot access '$1': $2");
}

/**
 * just-bash's long listing prints every file as `-rw-r--r--` with its size: a character device (/dev/null)
 * is `crw-rw-rw-` with its major and minor numbers in the size column (`1, 3`), as GNU ls prints it.
 */
function deviceLines(text: string, cwd: string, operands: string[]): string {
  const abs = (p: string, base: string) => normPath(p.startsWith('/') ? p : `${base}/${p}`);
  const bases = [cwd, ...operands.map((o) => abs(o, cwd))];
  return text.replace(/^-rw-r--r-- 1 root root +\d+ (.+? \d{1,2} +[\d:]{4,5}) (.+)$/gm, (line, date: string, name: string) => {
    const dev = bases.map((b) => deviceAt(abs(name, b))).find(Boolean);
    return dev ? `crw-rw-rw- 1 root root ${dev.major}, ${dev.minor} ${date} ${name}` : line;
  });
}

export const ls: NetCommand = {
  name: 'ls',
  async run(args, io, sys) {
    if (!io.orig) return { stdout: '', stderr: 'ls: not available\n', exitCode: 2 };
    // the format, as GNU ls decides it: columns on a terminal, one per line elsewhere; the last of -1, -C, -x, -l (-g, -o, -n) wins
    let format = sys.tty ? 'C' : '1';
    const short = (a: string) => /^-[^-]/.test(a);
    const options = args.slice(0, args.includes('--') ? args.indexOf('--') : args.length);
    for (const a of options.filter(short)) for (const c of a.slice(1)) format = c === '1' || c === 'C' || c === 'x' ? c : 'lgon'.includes(c) ? 'l' : format;
    // just-bash's ls knows neither -C nor -x: it is asked for the names, laid out here
    const drop = format === 'l' ? 'Cx1' : 'Cx1lgon';
    const origArgs = args.flatMap((a, i) => {
      if (!short(a) || i >= options.length) return [a];
      const kept = [...a.slice(1)].filter((c) => !drop.includes(c)).join('');
      return kept ? [`-${kept}`] : [];
    });
    const flags = args.filter((a) => a.startsWith('-') && a !== '-' && !a.startsWith('--'));
    const raw = await io.orig(origArgs);
    // every file of the simulated hosts belongs to root (just-bash's long listing says "user user")
    let owned = raw.stdout.replace(/^([-dlcbps][-rwxsStT]{9}\S* +\d+) user user /gm, '$1 root root ');
    if (format === 'l') owned = deviceLines(owned, io.cwd, args.filter((a) => !a.startsWith('-')));
    const r = { ...raw, stderr: gnuErrors(raw.stderr), stdout: owned.replace(/\n\n$/, '\n') };
    if (flags.some((f) => AS_IS.test(f)) || args.includes('--help')) return r;
    const layout = (names: string[]) => (format === '1' || format === 'l' ? names.map((n) => `${n}\n`).join('') : columns(names, sys.columns, format === 'x'));
    const text = r.stdout.replace(/\n$/, '');
    const multiple = args.filter((a) => !a.startsWith('-')).length > 1;
    let stdout = '';
    if (r.stdout !== '' && !multiple) stdout = layout(text.split('\n'));
    else if (r.stdout !== '') {
      // several operands (just-bash lists them in the order given, a blank line after each): as GNU ls, the
      // files first, together, then each directory under its "NAME:" header, both sorted by name
      const files: string[] = [];
      const dirs: { name: string; entries: string[] }[] = [];
      for (const block of text.split('\n\n')) {
        const lines = block.split('\n');
        if (lines[0]!.endsWith(':')) dirs.push({ name: lines[0]!, entries: lines.slice(1) });
        else files.push(...lines);
      }
      if (!flags.some((f) => /[tSUrvXcu]/.test(f.slice(1)))) {
        const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
        // (a long listing's lines end with the name, after the date: those keep the order given)
        if (format !== 'l') files.sort(byName);
        dirs.sort((a, b) => byName(a.name, b.name));
      }
      const parts: string[] = [];
      if (files.length) parts.push(layout(files));
      for (const d of dirs) parts.push(`${d.name}\n${d.entries.length ? layout(d.entries) : ''}`);
      stdout = parts.join('\n');
    }
    // GNU ls reports a missing operand before it lists the others
    return ordered([[2, r.stderr], [1, stdout]], r.exitCode);
  },
};
