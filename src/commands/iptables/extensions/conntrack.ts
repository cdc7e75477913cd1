// libxt_conntrack: the conntrack match (--ctstate, --ctproto, the tuple
// addresses, --ctstatus, --ctdir) and the state match, its older alias.
import type { RuleMatch } from '../../../sim/types';
import { normaliseCidr } from '../addr';
import type { ExtDef } from '../extension';
import { CHAIN_PROTOS } from '../names';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

function parseStates(arg: string, ext: 'ctstate' | 'state'): string {
  const names = ext === 'ctstate' ? CT_STATES : CT_STATES.slice(0, 5);
  const bad = (s: string): never => xtError(PARAMETER_PROBLEM, `Bad ${ext} "${s}"`);
  const set = new Set<string>();
  let rest = arg;
  for (;;) {
    const comma = rest.indexOf(',');
    const part = comma < 0 ? rest : rest.slice(0, comma);
    if (comma >= 0 && part === '') bad(rest);
    if (comma < 0 && part === '') {
      if (ext === 'state') xtError(PARAMETER_PROBLEM, '"--state" requires a list of states with no spaces, e.g. ESTABLISHED,RELATED');
      bad(rest);
    }
    // strncasecmp(state, NAME, len): a prefix of the name matches
    const hit = names.find((n) => n.toLowerCase().startsWith(part.toLowerCase())) ?? bad(rest);
    set.add(hit);
    if (comma < 0) break;
    rest = rest.slice(comma + 1);
  }
  return CT_STATES.filter((s) => set.has(s)).join(',');
}

export const conntrackExt: ExtDef = {
  name: 'conntrack',
  kind: 'match',
  opts: [
    { name: 'ctstate', hasArg: 1, key: 'ctstate', invert: true },
    { name: 'ctproto', hasArg: 1, key: 'ctproto', invert: true },
    { name: 'ctorigsrc', hasArg: 1, key: 'ctorigsrc', invert: true },
    { name: 'ctorigdst', hasArg: 1, key: 'ctorigdst', invert: true },
    { name: 'ctreplsrc', hasArg: 1, key: 'ctreplsrc', invert: true },
    { name: 'ctrepldst', hasArg: 1, key: 'ctrepldst', invert: true },
    { name: 'ctstatus', hasArg: 1, key: 'ctstatus', invert: true },
    { name: 'ctdir', hasArg: 1, key: 'ctdir' },
  ],
  help: 'conntrack match options:\n[!] --ctstate {INVALID|ESTABLISHED|NEW|RELATED|UNTRACKED|SNAT|DNAT}[,...]\n                               State(s) to match\n',
  parse(env, x, opt, arg, invert) {
    const a = arg;
    switch (opt.key) {
      case 'ctstate':
        x.options.ctstate = parseStates(a, 'ctstate');
        break;
      case 'ctproto': {
        const n = strtoui(a, 0, 255) ?? CHAIN_PROTOS.find(([p]) => p === a.toLowerCase())?.[1] ?? env.db.protoNumber(a.toLowerCase());
        if (n === null || n === undefined) xtError(PARAMETER_PROBLEM, `unknown protocol "${a}" specified`);
        x.options.ctproto = String(n);
        break;
      }
      case 'ctstatus': {
        const st = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];
        const got = new Set<string>();
        for (const p of a.split(',')) {
          const hit = st.find((s) => s.toLowerCase().startsWith(p.toLowerCase()) && p !== '');
          if (!hit) xtError(PARAMETER_PROBLEM, `Bad ctstatus "${p}"`);
          got.add(hit);
        }
        x.options.ctstatus = st.filter((s) => got.has(s)).join(',');
        break;
      }
      case 'ctdir': {
        const u = a.toUpperCase();
        if (u !== 'ORIGINAL' && u !== 'REPLY') xtError(PARAMETER_PROBLEM, `Unknown --ctdir value "${a}"`);
        x.options.ctdir = u;
        break;
      }
      default:
        x.options[opt.key] = normaliseCidr(a);
    }
    if (invert) (x.invert ??= {})[opt.key] = true;
  },
  final(_env, _x, seen) {
    if (seen.size === 0) xtError(PARAMETER_PROBLEM, 'You must specify one or more options');
  },
  print(_env, x) {
    return conntrackDump(x, '');
  },
  save(x) {
    return conntrackDump(x, '--');
  },
};

function conntrackDump(x: RuleMatch, prefix: string): string {
  const o = x.options;
  const inv = x.invert ?? {};
  const bang = (k: string): string => (inv[k] ? ' !' : '');
  let s = '';
  if (o.ctstate !== undefined) s += `${bang('ctstate')} ${prefix}ctstate ${o.ctstate}`;
  if (o.ctproto !== undefined) s += `${bang('ctproto')} ${prefix}ctproto ${o.ctproto}`;
  for (const k of ['ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst']) if (o[k] !== undefined) s += `${bang(k)} ${prefix}${k} ${o[k]!.replace(/\/32$/, '')}`;
  if (o.ctstatus !== undefined) s += `${bang('ctstatus')} ${prefix}ctstatus ${o.ctstatus}`;
  if (o.ctdir !== undefined) s += ` ${prefix}ctdir ${o.ctdir}`;
  return s;
}

export const stateExt: ExtDef = {
  name: 'state',
  kind: 'match',
  opts: [{ name: 'state', hasArg: 1, key: 'state', invert: true, mand: true }],
  help: 'state match options:\n [!] --state [INVALID|ESTABLISHED|NEW|RELATED|UNTRACKED][,...]\n\t\t\t\tState(s) to match\n',
  parse(_env, x, _opt, arg, invert) {
    x.options.state = parseStates(arg, 'state');
    if (invert) (x.invert ??= {}).state = true;
  },
  print(_env, x) {
    return `${x.invert?.state ? ' !' : ''} state ${x.options.state}`;
  },
  save(x) {
    return `${x.invert?.state ? ' !' : ''} --state ${x.options.state}`;
  },
};
