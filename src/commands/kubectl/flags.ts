// kubectl's command line as cobra and pflag read it. The command tree (names, aliases, order) and every
// command's flags (names, shorthands, types from their defaults) come from the help text captured from the
// real kubectl (help-text.ts), so they cannot drift from it. Errors are pflag's and cobra's own words.
import { HELP } from './help-text';

export type FlagType = 'bool' | 'string' | 'strings' | 'int' | 'duration';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  def: string;
  /** the value a flag given without `=value` takes (pflag's NoOptDefVal), for non-bool flags */
  noOpt?: string;
}

/** Flags whose value is optional (`--dry-run` alone means `unchanged`, etc.). */
const NO_OPT: Record<string, string> = { 'dry-run': 'unchanged', validate: 'strict', cascade: 'background' };

function typeOf(def: string): FlagType {
  if (def === 'true' || def === 'false') return 'bool';
  if (def.startsWith('[')) return 'strings';
  if (/^-?\d+$/.test(def)) return 'int';
  if (/^\d+(ms|s|m|h)/.test(def) && /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/.test(def)) return 'duration';
  return 'string';
}

function parseOptions(text: string): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const m of text.matchAll(/^ {4}(?:-(\w), )?--([\w-]+)=(.*):$/gm)) {
    const raw = m[3]!;
    const def = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
    const type = raw.startsWith("'") ? 'string' : typeOf(def);
    const spec: FlagSpec = { name: m[2]!, type, def };
    if (m[1]) spec.short = m[1];
    if (NO_OPT[spec.name] !== undefined && type === 'string') spec.noOpt = NO_OPT[spec.name];
    out.push(spec);
  }
  return out;
}

const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', type: 'bool', def: 'false' };
let globals: FlagSpec[] | null = null;
export function globalFlags(): FlagSpec[] {
  return (globals ??= parseOptions(HELP['@options'] ?? ''));
}

const cache = new Map<string, FlagSpec[]>();
/** Local and inherited flags of a command path ('' is kubectl itself). */
export function flagsOf(path: string): FlagSpec[] {
  let f = cache.get(path);
  if (!f) {
    const text = HELP[path] ?? '';
    const opts = text.split(/^Options:$/m)[1]?.split(/^Usage:$/m)[0] ?? '';
    f = [...parseOptions(opts), ...globalFlags(), HELP_FLAG];
    cache.set(path, f);
  }
  return f;
}

// ------------------------------------------------------------------ command tree

export interface CmdNode {
  path: string;
  name: string;
  aliases: string[];
  children: string[]; // child names in registration order
  runnable: boolean;
}

const nodes = new Map<string, CmdNode>();
function node(path: string): CmdNode | null {
  if (nodes.has(path)) return nodes.get(path)!;
  const text = HELP[path];
  if (text === undefined) return null;
  const name = path.split(' ').pop() ?? '';
  const aliases = /^Aliases:\n {0,2}(.*)$/m.exec(text)?.[1]?.split(', ').slice(1) ?? [];
  const children: string[] = [];
  // kubectl itself lists its commands in groups; others under "Available Commands:"
  const listing = path === '' ? text.split(/^Usage:$/m)[0]! : (text.split(/^Available Commands:$/m)[1]?.split(/^\S/m)[0] ?? '');
  for (const m of listing.matchAll(/^ {2}([a-z][\w-]*) {2,}\S/gm)) children.push(m[1]!);
  if (path === '') children.push('alpha', 'completion', 'options', 'help');
  const usage = /^Usage:\n {2}(.*)$/m.exec(text)?.[1] ?? '';
  const n: CmdNode = { path, name, aliases, children, runnable: !(children.length > 0 && /\[command\]$/.test(usage.trim())) || usage.includes('[options]') };
  nodes.set(path, n);
  return n;
}

export function cmdNode(path: string): CmdNode | null {
  return node(path);
}

/** A child of `parent` by name or alias. */
export function childOf(parent: string, word: string): string | null {
  const p = node(parent);
  if (!p) return null;
  for (const c of p.children) {
    const path = parent ? `${parent} ${c}` : c;
    if (c === word) return path;
    const n = node(path);
    if (n?.aliases.includes(word)) return path;
  }
  return null;
}

/** Which flags take a value (cobra's stripFlags decides which words are commands). */
function takesValue(specs: FlagSpec[], arg: string): boolean {
  if (arg.startsWith('--')) {
    if (arg.includes('=')) return false;
    const s = specs.find((f) => f.name === arg.slice(2));
    return !!s && s.type !== 'bool' && s.noOpt === undefined;
  }
  if (arg.length === 2) {
    const s = specs.find((f) => f.short === arg[1]);
    return !!s && s.type !== 'bool' && s.noOpt === undefined;
  }
  return false;
}

/** Find the command a line names: the longest chain of command words, skipping flags (cobra's Find). */
export function findCommand(args: string[]): { path: string; rest: string[]; stray: string | null } {
  let path = '';
  let rest = [...args];
  for (;;) {
    const specs = flagsOf(path);
    let i = 0;
    let word: string | null = null;
    while (i < rest.length) {
      const a = rest[i]!;
      if (a === '--') break;
      if (a.startsWith('-') && a !== '-') {
        i += takesValue(specs, a) ? 2 : 1;
        continue;
      }
      word = a;
      break;
    }
    if (word === null) return { path, rest, stray: null };
    const child = childOf(path, word);
    if (!child) return { path, rest, stray: word };
    path = child;
    rest = [...rest.slice(0, i), ...rest.slice(i + 1)];
  }
}

// ------------------------------------------------------------------ parsing

export interface Parsed {
  /** flag values by long name, strings arrays joined per occurrence */
  values: Map<string, string[]>;
  args: string[];
  /** index in args where `--` was (cobra's ArgsLenAtDash), -1 without */
  dash: number;
}

export class FlagError extends Error {}

function check(spec: FlagSpec, value: string, shown: string): void {
  const bad = (why: string) => new FlagError(`invalid argument "${value}" for "${shown}" flag: ${why}`);
  if (spec.type === 'int') {
    if (!/^[+-]?\d+$/.test(value) && !/^[+-]?0[xob][0-9a-f_]+$/i.test(value)) throw bad(`strconv.ParseInt: parsing "${value}": invalid syntax`);
    if (Math.abs(Number(value)) > 2 ** 63 - 1) throw bad(`strconv.ParseInt: parsing "${value}": value out of range`);
  } else if (spec.type === 'bool') {
    if (!['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) throw bad(`strconv.ParseBool: parsing "${value}": invalid syntax`);
  } else if (spec.type === 'duration') {
    if (parseDuration(value) === null) throw bad(`time: invalid duration "${value}"`);
  }
}

/** Go's time.ParseDuration, in milliseconds (null when invalid). */
export function parseDuration(s: string): number | null {
  if (s === '0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m) return null;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const p of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(p[1]) * unit[p[2]!]!;
  return m[1] === '-' ? -total : total;
}

const shownName = (s: FlagSpec) => (s.short ? `-${s.short}, --${s.name}` : `--${s.name}`);

/** pflag's parse of `args` against `specs` (interspersed flags, `--`, shorthand clusters). */
export function parseFlags(args: string[], specs: FlagSpec[]): Parsed {
  const values = new Map<string, string[]>();
  const out: string[] = [];
  let dash = -1;
  const set = (spec: FlagSpec, v: string) => {
    check(spec, v, shownName(spec));
    const cur = values.get(spec.name) ?? [];
    if (spec.type === 'strings') cur.push(v);
    else cur.splice(0, cur.length, v);
    values.set(spec.name, cur);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      dash = out.length;
      out.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = specs.find((f) => f.name === name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(spec, a.slice(eq + 1));
      else if (spec.type === 'bool') set(spec, 'true');
      else if (spec.noOpt !== undefined) set(spec, spec.noOpt);
      else if (i + 1 < args.length) set(spec, args[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      let sh = a.slice(1);
      while (sh.length) {
        const c = sh[0]!;
        const spec = specs.find((f) => f.short === c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (sh.length > 2 && sh[1] === '=') {
          set(spec, sh.slice(2));
          sh = '';
        } else if (spec.type === 'bool') {
          set(spec, 'true');
          sh = sh.slice(1);
        } else if (spec.noOpt !== undefined) {
          set(spec, sh.length > 1 ? sh.slice(1) : spec.noOpt);
          sh = '';
        } else if (sh.length > 1) {
          set(spec, sh.slice(1));
          sh = '';
        } else if (i + 1 < args.length) {
          set(spec, args[++i]!);
          sh = '';
        } else throw new FlagError(`flag needs an argument: '${c}' in ${a}`);
      }
      continue;
    }
    out.push(a);
  }
  return { values, args: out, dash };
}

/** Typed access to parsed flags, with the defaults from the specs. */
export class Flags {
  constructor(
    readonly parsed: Parsed,
    readonly specs: FlagSpec[],
  ) {}
  has(name: string): boolean {
    return this.parsed.values.has(name);
  }
  str(name: string): string {
    const v = this.parsed.values.get(name);
    if (v && v.length) return v[v.length - 1]!;
    return this.specs.find((f) => f.name === name)?.def ?? '';
  }
  bool(name: string): boolean {
    const v = this.str(name);
    return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
  }
  int(name: string): number {
    return Number(this.str(name)) || 0;
  }
  /** string arrays and string slices (a slice flag also splits each value at commas) */
  list(name: string, slice = false): string[] {
    const v = this.parsed.values.get(name) ?? [];
    return slice ? v.flatMap((x) => x.split(',')) : v;
  }
}

/** cobra's "Did you mean this?" candidates: Levenshtein distance ≤ 2 (case-insensitive) or a prefix. */
export function suggestionsFor(word: string, names: string[]): string[] {
  const lw = word.toLowerCase();
  return names.filter((n) => levenshtein(lw, n.toLowerCase()) <= 2 || n.toLowerCase().startsWith(lw));
}

function levenshtein(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}
