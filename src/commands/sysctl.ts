// procps-ng 4.0.2 sysctl: read and write kernel parameters through /proc/sys.
// Only the net.* tree exists in the simulator (src/sim/proc-sys.ts).
import { keyToProcPath, procPathToKey } from '../sim/if-sysctl';
import { table } from '../sim/own';
import type { CmdResult, CompletionContext, NetCommand, Sys } from './types';
import { ordered } from './types';
import { isKernelError, STRERROR } from '../sim/errors';
import type { Errno } from '../sim/errors';
import { DEPRECATED_NAMES, sysctlGet, sysctlKeys, sysctlSet, sysctlStat } from '../sim/proc-sys';
import { procSysFiles } from './proc-sys-files';

const PROC = '/proc/sys/';

const USAGE =
  '\nUsage:\n' +
  ' sysctl [options] [variable[=value] ...]\n' +
  '\nOptions:\n' +
  '  -a, --all            display all variables\n' +
  '  -A                   alias of -a\n' +
  '  -X                   alias of -a\n' +
  '      --deprecated     include deprecated parameters to listing\n' +
  '      --dry-run        Print the key and values but do not write\n' +
  '  -b, --binary         print value without new line\n' +
  '  -e, --ignore         ignore unknown variables errors\n' +
  '  -N, --names          print variable names without values\n' +
  '  -n, --values         print only values of the given variable(s)\n' +
  '  -p, --load[=<file>]  read values from file\n' +
  '  -f                   alias of -p\n' +
  '      --system         read values from all system directories\n' +
  '  -r, --pattern <expression>\n' +
  '                       select setting that match expression\n' +
  '  -q, --quiet          do not echo variable set\n' +
  '  -w, --write          enable writing a value to variable\n' +
  '  -o                   does nothing\n' +
  '  -x                   does nothing\n' +
  '  -d                   alias of -h\n' +
  '\n' +
  ' -h, --help     display this help and exit\n' +
  ' -V, --version  output version information and exit\n' +
  '\nFor more details see sysctl(8).\n';

class Out {
  stdout = '';
  private err = '';
  /** the length of stdout at each stderr write, so that the result keeps the order (a key's error between the values) */
  private errAt: Array<[number, string]> = [];
  get stderr(): string {
    return this.err;
  }
  set stderr(v: string) {
    if (v.startsWith(this.err)) this.errAt.push([this.stdout.length, v.slice(this.err.length)]);
    else this.errAt = [[0, v]];
    this.err = v;
  }
  /** stdout and stderr in the order written */
  chunks(): Array<[1 | 2, string]> {
    const chunks: Array<[1 | 2, string]> = [];
    let at = 0;
    for (const [pos, s] of this.errAt) {
      const p = Math.min(Math.max(pos, at), this.stdout.length);
      if (p > at) chunks.push([1, this.stdout.slice(at, p)]);
      chunks.push([2, s]);
      at = p;
    }
    if (at < this.stdout.length) chunks.push([1, this.stdout.slice(at)]);
    return chunks;
  }
  out(s: string) {
    this.stdout += s;
  }
  warnx(s: string) {
    this.stderr += `sysctl: ${s}\n`;
  }
  warn(s: string, errno: Errno) {
    this.stderr += `sysctl: ${s}: ${STRERROR[errno]}\n`;
  }
}

interface Opts {
  printName: boolean;
  printNewline: boolean;
  ignoreError: boolean;
  nameOnly: boolean;
  quiet: boolean;
  dryRun: boolean;
  ignoreDeprecated: boolean;
  pattern: RegExp | null;
}

/** procps' slashdot(): the first separator found decides; '.' <-> '/' are swapped. */
function slashdot(p: string, old: string, neu: string): string {
  const i = p.search(/[./]/);
  if (i < 0 || p[i] === neu) return p;
  let out = p.slice(0, i);
  for (let j = i; j < p.length; j++) {
    const c = p[j]!;
    out += c === old ? neu : c === neu ? old : c;
  }
  return out;
}

/** dotted key of a path below /proc/sys */
function keyOfPath(path: string): string {
  return procPathToKey(path.slice(PROC.length).split('/').filter((x) => x !== ''));
}

function stat(sys: Sys, path: string) {
  if (!path.startsWith(PROC)) return null;
  return sysctlStat(sys.world, sys.ns, keyOfPath(path));
}

/** POSIX ERE via JS RegExp (close enough for the patterns people use with -r). */
function compilePattern(p: string): RegExp | null {
  try {
    return new RegExp(p);
  } catch {
    return null;
  }
}

function readSetting(sys: Sys, o: Out, opts: Opts, name: string): number {
  if (!name) {
    o.warnx(`"${name}" is an unknown key`);
    return -1;
  }
  const tmpname = PROC + slashdot(name, '.', '/');
  const outname = slashdot(name, '/', '.');
  const st = stat(sys, tmpname);
  if (!st) {
    if (!opts.ignoreError) {
      o.warn(`cannot stat ${tmpname}`, 'ENOENT');
      return 1;
    }
    return 0;
  }
  if ((st.mode & 0o400) === 0) return 0;
  if (st.type === 'dir') return displayAll(sys, o, opts, keyOfPath(tmpname));
  if (opts.pattern && !opts.pattern.test(outname)) return 0;
  if (opts.nameOnly) {
    o.out(`${outname}\n`);
    return 0;
  }
  let value: string;
  try {
    value = sysctlGet(sys.world, sys.ns, keyOfPath(tmpname));
  } catch (e) {
    if (isKernelError(e)) {
      if (e.errno === 'EACCES') {
        o.warnx(`permission denied on key '${outname}'`);
        return 1;
      }
      if (e.errno === 'EIO') return 1;
      if (e.errno === 'ENOENT') {
        if (!opts.ignoreError) o.warnx(`"${outname}" is an unknown key`);
        return opts.ignoreError ? 0 : 1;
      }
      o.warnx(`reading key "${outname}"`);
      return 1;
    }
    throw e;
  }
  if (opts.printName) o.out(`${outname} = ${value}\n`);
  else o.out(opts.printNewline ? `${value}\n` : value);
  return 0;
}

function displayAll(sys: Sys, o: Out, opts: Opts, under: string): number {
  let rc = 0;
  for (const key of sysctlKeys(sys.world, sys.ns, under)) {
    const leaf = key.slice(key.lastIndexOf('.') + 1);
    if (opts.ignoreDeprecated && DEPRECATED_NAMES.has(leaf)) continue;
    rc |= readSetting(sys, o, opts, keyToProcPath(key));
  }
  return rc;
}

interface Setting {
  key: string;
  path: string;
  value: string | null;
  ignoreFailure: boolean;
  globExclude: boolean;
}

function parseSettingLine(o: Out, opts: Opts, file: string, lineno: number, line: string): Setting | null {
  let key = line.replace(/^\s+/, '');
  if (key.length < 2) return null;
  if (key[0] === '#' || key[0] === ';') return null;
  if (opts.pattern && !opts.pattern.test(key)) return null;
  const eq = key.indexOf('=');
  let value: string | null = null;
  let ignoreFailure = false;
  let globExclude = false;
  if (eq < 0) {
    if (key[0] === '-') {
      globExclude = true;
      key = key.slice(1).replace(/\s+$/, '');
    } else {
      o.warnx(`${file}(${lineno}): invalid syntax, continuing...`);
      return null;
    }
  } else {
    value = key.slice(eq + 1).replace(/^\s+/, '').replace(/\s+$/, '');
    key = key.slice(0, eq);
    if (key[0] === '-') {
      ignoreFailure = true;
      key = key.slice(1);
    }
    key = key.replace(/\s+$/, '');
  }
  const path = PROC + slashdot(key.startsWith('-') ? key.slice(1) : key, '.', '/');
  return { key, path, value, ignoreFailure, globExclude };
}

function writeSetting(sys: Sys, o: Out, opts: Opts, s: Setting): number {
  let rc = 0;
  const st = stat(sys, s.path);
  if (!st) {
    if (!opts.ignoreError) {
      o.warn(`cannot stat ${s.path}`, 'ENOENT');
      return 1;
    }
    return 0;
  }
  const dotted = slashdot(s.path.slice(PROC.length), '/', '.');
  // procps 4.0.2 warns without setting errno for a read-only key or a
  // directory (so it prints a stale "Invalid argument") and leaves the exit
  // status alone (0), as Debian 12's sysctl does
  if ((st.mode & 0o200) === 0 || st.type === 'dir') {
    o.warn(`setting key "${dotted}"`, 'EINVAL');
    return 0;
  }
  const value = s.value ?? '';
  if (!opts.dryRun) {
    try {
      sysctlSet(sys.world, sys.ns, keyOfPath(s.path), value + '\n');
    } catch (e) {
      if (!isKernelError(e)) throw e;
      // the open succeeds; the kernel refuses the value when the buffer is flushed
      o.warn(`setting key "${dotted}"`, e.errno);
      return 1;
    }
  }
  if ((rc === 0 && !opts.quiet) || opts.dryRun) {
    if (opts.nameOnly) o.out(`${dotted}\n`);
    else if (opts.printName) o.out(`${dotted} = ${value}\n`);
    else o.out(opts.printNewline ? `${value}\n` : value);
  }
  return rc;
}

/** fnmatch-style glob over /proc/sys paths (for keys like net.ipv4.conf.*.rp_filter). */
function globPaths(sys: Sys, pattern: string): string[] {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : /[\\^$.+()|{}]/.test(c) ? '\\' + c : c))
        .join('') +
      '$',
  );
  return sysctlKeys(sys.world, sys.ns)
    .map((k) => PROC + keyToProcPath(k))
    .filter((p) => re.test(p));
}

function writeSettingList(sys: Sys, o: Out, opts: Opts, list: Setting[]): number {
  let rc = 0;
  for (const s of list) {
    if (s.globExclude) continue;
    if (/[*?[]/.test(s.path)) {
      for (const p of globPaths(sys, s.path)) {
        const overridden = list.some((x) => x !== s && (x.path === p || (x.globExclude && globPaths(sys, x.path).includes(p))));
        if (overridden) continue;
        rc |= writeSetting(sys, o, opts, { ...s, path: p });
      }
    } else {
      rc |= writeSetting(sys, o, opts, s);
    }
  }
  return rc;
}

function preload(sys: Sys, o: Out, opts: Opts, list: Setting[], file: string, stdin: string): number {
  const text = file === '-' ? stdin : sys.readFile(file);
  if (text === null) {
    o.warn(`cannot open "${file}"`, 'ENOENT');
    return 1;
  }
  const lines = text.split(/(?<=\n)/);
  let n = 0;
  for (const line of lines) {
    if (line === '') continue;
    n++;
    if (line.length < 2) continue;
    const s = parseSettingLine(o, opts, file, n, line);
    if (s) list.push(s);
  }
  return 0;
}

const SYSTEM_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];

function preloadSystem(sys: Sys, o: Out, opts: Opts, list: Setting[]): number {
  const host = sys.world.host(sys.host);
  const cfgs: { name: string; path: string }[] = [];
  for (const dir of SYSTEM_DIRS) {
    const pre = dir + '/';
    const names = Object.keys(host.files)
      .filter((p) => p.startsWith(pre) && !p.slice(pre.length).includes('/') && host.files[p]!.type !== 'dir')
      .map((p) => p.slice(pre.length))
      .sort();
    for (const name of names) {
      if (name.length < 5 || !name.endsWith('.conf')) continue;
      if (cfgs.some((c) => c.name === name)) continue;
      cfgs.push({ name, path: pre + name });
    }
  }
  cfgs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let rc = 0;
  for (const c of cfgs) {
    if (!opts.quiet) o.out(`* Applying ${c.path} ...\n`);
    rc |= preload(sys, o, opts, list, c.path, '');
  }
  if (sys.readFile('/etc/sysctl.conf') !== null) {
    if (!opts.quiet) o.out('* Applying /etc/sysctl.conf ...\n');
    rc |= preload(sys, o, opts, list, '/etc/sysctl.conf', '');
  }
  return rc;
}

const LONG: Record<string, { c: string; arg: 'none' | 'required' | 'optional' }> = table({
  all: { c: 'a', arg: 'none' },
  deprecated: { c: 'DEPRECATED', arg: 'none' },
  'dry-run': { c: 'DRYRUN', arg: 'none' },
  binary: { c: 'b', arg: 'none' },
  ignore: { c: 'e', arg: 'none' },
  names: { c: 'N', arg: 'none' },
  values: { c: 'n', arg: 'none' },
  load: { c: 'p', arg: 'optional' },
  quiet: { c: 'q', arg: 'none' },
  write: { c: 'w', arg: 'none' },
  system: { c: 'SYSTEM', arg: 'none' },
  pattern: { c: 'r', arg: 'required' },
  help: { c: 'h', arg: 'none' },
  version: { c: 'V', arg: 'none' },
});

/** Tab completion: options, and the keys one dotted level at a time. */
export function completeSysctl(ctx: CompletionContext): string[] {
  if (ctx.current.startsWith('-')) return ['-a', '-A', '-b', '-e', '-N', '-n', '-p', '-q', '-r', '-w', '-V', '-h', '--all', '--values', '--names', '--write', '--load', '--system', '--pattern', '--quiet', '--ignore', '--binary', '--help', '--version', '--dry-run', '--deprecated'];
  const keys = sysctlKeys(ctx.sys.world, ctx.sys.ns);
  // complete one dotted level at a time, like a path
  const cur = ctx.current;
  const base = cur.includes('.') ? cur.slice(0, cur.lastIndexOf('.') + 1) : '';
  const out = new Set<string>();
  for (const k of keys) {
    if (!k.startsWith(base)) continue;
    const rest = k.slice(base.length);
    const dot = rest.indexOf('.');
    out.add(dot < 0 ? k : base + rest.slice(0, dot + 1));
  }
  return [...out];
}

/** An option ended the command (--version, --help, a usage error): the exit status. */
class SysctlStop {
  constructor(public code: number) {}
}

/** What sysctl's options ask for. */
class SysctlArgs {
  readonly opts: Opts = { printName: true, printNewline: true, ignoreError: false, nameOnly: false, quiet: false, dryRun: false, ignoreDeprecated: true, pattern: null };
  writeMode = false;
  displayAll = false;
  preload = false;
  system = false;
  preloadFile: string | null = null;
  readonly operands: string[] = [];

  constructor(private readonly o: Out) {}

  /** usage on stdout after a message on stderr, exit 0 (procps 4.0.2's Usage(stdout) for every getopt error) */
  private usageStop(msg = ''): never {
    this.o.stderr += msg;
    this.o.out(USAGE);
    throw new SysctlStop(0);
  }

  private opt(c: string, optarg: string | null): void {
    const opts = this.opts;
    switch (c) {
      case 'b':
        opts.printNewline = false;
        opts.printName = false;
        break;
      case 'n':
        opts.printName = false;
        break;
      case 'e':
        opts.ignoreError = true;
        break;
      case 'N':
        opts.nameOnly = true;
        break;
      case 'w':
        this.writeMode = true;
        break;
      case 'f':
      case 'p':
        this.preload = true;
        if (optarg) this.preloadFile = optarg;
        break;
      case 'q':
        opts.quiet = true;
        break;
      case 'o':
      case 'x':
        break;
      case 'a':
      case 'A':
      case 'X':
        this.displayAll = true;
        break;
      case 'DEPRECATED':
        opts.ignoreDeprecated = false;
        break;
      case 'SYSTEM':
        opts.ignoreError = true;
        this.system = true;
        break;
      case 'DRYRUN':
        opts.dryRun = true;
        break;
      case 'r':
        opts.pattern = compilePattern(optarg ?? '') ?? /(?!)/;
        break;
      case 'V':
        this.o.out('sysctl from procps-ng 4.0.2\n');
        throw new SysctlStop(0);
      default:
        // -d, -h and anything else: the usage
        this.usageStop();
    }
  }

  /** --name[=value] with getopt_long's abbreviations; returns how many extra arguments it used */
  private long(a: string, next: string | undefined): number {
    const [nm, val] = a.slice(2).split(/=(.*)/s) as [string, string | undefined];
    const matches = Object.keys(LONG).filter((k) => k.startsWith(nm));
    const name = matches.find((k) => k === nm) ?? (matches.length === 1 ? matches[0] : undefined);
    if (!name) this.usageStop(matches.length > 1 ? `sysctl: option '${a}' is ambiguous; possibilities:${matches.map((m) => " '--" + m + "'").join('')}\n` : `sysctl: unrecognized option '${a}'\n`);
    const L = LONG[name]!;
    if (L.arg === 'none' && val !== undefined) this.usageStop(`sysctl: option '--${name}' doesn't allow an argument\n`);
    if (L.arg === 'required' && val === undefined) {
      if (next === undefined) this.usageStop(`sysctl: option '--${name}' requires an argument\n`);
      this.opt(L.c, next!);
      return 1;
    }
    this.opt(L.c, L.arg === 'none' ? null : (val ?? null));
    return 0;
  }

  /** a cluster of short options from "bneNwfp::qoxaAXr:Vdh"; returns how many extra arguments it used */
  private short(a: string, next: string | undefined): number {
    const shortSpec = 'bneNwfp::qoxaAXr:Vdh';
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const k = shortSpec.indexOf(c);
      if (k < 0 || c === ':') this.usageStop(`sysctl: invalid option -- '${c}'\n`);
      const argKind = shortSpec[k + 1] === ':' ? (shortSpec[k + 2] === ':' ? 'optional' : 'required') : 'none';
      if (argKind === 'none') {
        this.opt(c, null);
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest || argKind === 'optional') {
        this.opt(c, rest || null);
        return 0;
      }
      if (next === undefined) this.usageStop(`sysctl: option requires an argument -- '${c}'\n`);
      this.opt(c, next!);
      return 1;
    }
    return 0;
  }

  /** GNU getopt_long with permutation */
  parse(args: string[]): this {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        this.operands.push(...args.slice(i + 1));
        break;
      }
      if (a.startsWith('--')) i += this.long(a, args[i + 1]);
      else if (a.startsWith('-') && a.length > 1) i += this.short(a, args[i + 1]);
      else this.operands.push(a);
    }
    return this;
  }
}

/** Preloaded files (-p/-f) or --system, then each operand read or written. */
function sysctlMain(sys: Sys, o: Out, g: SysctlArgs, stdin: string): number {
  const { opts, operands } = g;
  if (g.displayAll) return displayAll(sys, o, opts, '');
  const list: Setting[] = [];
  let rc = 0;
  if (g.preload) {
    if (!g.preloadFile) {
      if (operands.length === 0) rc |= preload(sys, o, opts, list, '/etc/sysctl.conf', stdin);
    } else rc |= preload(sys, o, opts, list, g.preloadFile, stdin);
    for (const f of operands) rc |= preload(sys, o, opts, list, f, stdin);
    return rc | writeSettingList(sys, o, opts, list);
  }
  if (g.system) {
    rc |= preloadSystem(sys, o, opts, list);
    rc |= writeSettingList(sys, o, opts, list);
    if (operands.length < 1) return rc;
  }
  if (operands.length < 1) {
    o.warnx("no variables specified\nTry `sysctl --help' for more information.");
    return 1;
  }
  if (opts.nameOnly && opts.quiet) {
    o.warnx("options -N and -q cannot coexist\nTry `sysctl --help' for more information.");
    return 1;
  }
  for (const a of operands) {
    if (g.writeMode || a.includes('=')) {
      const s = parseSettingLine(o, opts, 'command line', 0, a);
      if (s) rc |= writeSetting(sys, o, opts, s);
      else rc |= 1;
    } else rc += readSetting(sys, o, opts, a);
  }
  return rc & 0xff;
}

export const sysctl: NetCommand = {
  name: 'sysctl',
  complete: completeSysctl,
  procFiles: { '/proc/sys': procSysFiles },
  async run(args, io, sys): Promise<CmdResult> {
    const o = new Out();
    if (args.length < 1) {
      o.stderr += USAGE;
      return ordered(o.chunks(), 1);
    }
    try {
      const g = new SysctlArgs(o).parse(args);
      const code = sysctlMain(sys, o, g, io.stdin);
      return ordered(o.chunks(), code);
    } catch (e) {
      if (e instanceof SysctlStop) return ordered(o.chunks(), e.code);
      throw e;
    }
  },
};
