// getopt_long() as glibc runs it for iptables: the global options
// (original_opts), the short option string, long-option abbreviation, and
// the options of the extensions loaded so far (asked again at every call, as
// iptables merges them into its option table when it loads one).
import type { LoadedExt } from './extension';

export interface OptDef {
  name: string;
  hasArg: 0 | 1 | 2;
  /** global option char, or an extension option key */
  val: string;
  ext: LoadedExt | null;
}

export const ORIGINAL_OPTS: OptDef[] = (
  [
    ['append', 1, 'A'],
    ['delete', 1, 'D'],
    ['check', 1, 'C'],
    ['insert', 1, 'I'],
    ['replace', 1, 'R'],
    ['list', 2, 'L'],
    ['list-rules', 2, 'S'],
    ['flush', 2, 'F'],
    ['zero', 2, 'Z'],
    ['new-chain', 1, 'N'],
    ['delete-chain', 2, 'X'],
    ['rename-chain', 1, 'E'],
    ['policy', 1, 'P'],
    ['source', 1, 's'],
    ['destination', 1, 'd'],
    ['src', 1, 's'],
    ['dst', 1, 'd'],
    ['protocol', 1, 'p'],
    ['in-interface', 1, 'i'],
    ['jump', 1, 'j'],
    ['table', 1, 't'],
    ['match', 1, 'm'],
    ['numeric', 0, 'n'],
    ['out-interface', 1, 'o'],
    ['verbose', 0, 'v'],
    ['wait', 2, 'w'],
    ['wait-interval', 2, 'W'],
    ['exact', 0, 'x'],
    ['fragments', 0, 'f'],
    ['version', 0, 'V'],
    ['help', 2, 'h'],
    ['line-numbers', 0, '0'],
    ['modprobe', 1, 'M'],
    ['set-counters', 1, 'c'],
    ['goto', 1, 'g'],
    ['ipv4', 0, '4'],
    ['ipv6', 0, '6'],
  ] as [string, 0 | 1 | 2, string][]
).map(([name, hasArg, val]) => ({ name, hasArg, val, ext: null }));

const OPTSTRING = '-:A:C:D:E:F::I:L::M:N:P:VX::Z::c:d:i:j:o:p:s:t:R:S::W::46bfg:h::m:nvw::x';

function shortSpec(c: string): 0 | 1 | 2 | null {
  const i = OPTSTRING.indexOf(c, 2);
  if (c === ':' || c === '-' || i < 0) return null;
  if (OPTSTRING[i + 1] === ':') return OPTSTRING[i + 2] === ':' ? 2 : 1;
  return 0;
}

export interface GetoptResult {
  /** option char, extension key, 1 for a non-option, '?' unknown, ':' missing argument */
  c: string | 1;
  def: OptDef | null;
  optarg: string | null;
}

export class Getopt {
  optind = 1;
  private nextchar = '';
  constructor(
    public argv: string[],
    public opts: () => OptDef[],
  ) {}

  next(): GetoptResult | null {
    const argv = this.argv;
    if (this.nextchar === '') {
      if (this.optind >= argv.length) return null;
      const arg = argv[this.optind]!;
      if (arg === '--') {
        this.optind++;
        // remaining arguments are non-options
        if (this.optind >= argv.length) return null;
        return { c: 1, def: null, optarg: argv[this.optind++]! };
      }
      if (!arg.startsWith('-') || arg === '-') {
        this.optind++;
        return { c: 1, def: null, optarg: arg };
      }
      if (arg.startsWith('--')) {
        this.optind++;
        const body = arg.slice(2);
        const eq = body.indexOf('=');
        const name = eq < 0 ? body : body.slice(0, eq);
        const inline = eq < 0 ? null : body.slice(eq + 1);
        const all = this.opts();
        let def = all.find((o) => o.name === name) ?? null;
        if (!def) {
          const cands = all.filter((o) => o.name.startsWith(name));
          const distinct = cands.filter((o, i) => cands.findIndex((p) => p.val === o.val && p.ext === o.ext && p.hasArg === o.hasArg) === i);
          if (distinct.length === 1) def = distinct[0]!;
          else return { c: '?', def: null, optarg: null };
        }
        if (def.hasArg === 0) {
          if (inline !== null) return { c: '?', def: null, optarg: null };
          return { c: def.val, def, optarg: null };
        }
        if (def.hasArg === 2) return { c: def.val, def, optarg: inline };
        if (inline !== null) return { c: def.val, def, optarg: inline };
        if (this.optind < argv.length) return { c: def.val, def, optarg: argv[this.optind++]! };
        return { c: ':', def, optarg: null };
      }
      this.nextchar = arg.slice(1);
    }
    const c = this.nextchar[0]!;
    this.nextchar = this.nextchar.slice(1);
    const spec = shortSpec(c);
    const endOfCluster = (): void => {
      if (this.nextchar === '') this.optind++;
    };
    if (spec === null) {
      endOfCluster();
      return { c: '?', def: null, optarg: null };
    }
    const def = ORIGINAL_OPTS.find((o) => o.val === c) ?? { name: c, hasArg: spec, val: c, ext: null };
    if (spec === 0) {
      endOfCluster();
      return { c, def, optarg: null };
    }
    if (this.nextchar !== '') {
      const optarg = this.nextchar;
      this.nextchar = '';
      this.optind++;
      return { c, def, optarg };
    }
    this.optind++;
    if (spec === 2) return { c, def, optarg: null };
    if (this.optind < argv.length) return { c, def, optarg: argv[this.optind++]! };
    return { c: ':', def, optarg: null };
  }
}
