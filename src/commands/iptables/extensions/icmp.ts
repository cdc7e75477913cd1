// libipt_icmp (--icmp-type) and libip6t_icmp6 (--icmpv6-type): a type by
// name, number, or type/code; one definition over each family's names.
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

/** [name, type, lowest code, highest code] */
type IcmpNames = [string, number, number, number][];

const ICMP_CODES: IcmpNames = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['pong', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['ping', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];

const ICMP6_CODES: IcmpNames = [
  ['destination-unreachable', 1, 0, 0xff],
  ['no-route', 1, 0, 0],
  ['communication-prohibited', 1, 1, 1],
  ['beyond-scope', 1, 2, 2],
  ['address-unreachable', 1, 3, 3],
  ['port-unreachable', 1, 4, 4],
  ['failed-policy', 1, 5, 5],
  ['reject-route', 1, 6, 6],
  ['packet-too-big', 2, 0, 0xff],
  ['time-exceeded', 3, 0, 0xff],
  ['ttl-exceeded', 3, 0, 0xff],
  ['ttl-zero-during-transit', 3, 0, 0],
  ['ttl-zero-during-reassembly', 3, 1, 1],
  ['parameter-problem', 4, 0, 0xff],
  ['bad-header', 4, 0, 0],
  ['unknown-header-type', 4, 1, 1],
  ['unknown-option', 4, 2, 2],
  ['echo-request', 128, 0, 0xff],
  ['ping', 128, 0, 0xff],
  ['echo-reply', 129, 0, 0xff],
  ['pong', 129, 0, 0xff],
  ['router-solicitation', 133, 0, 0xff],
  ['router-advertisement', 134, 0, 0xff],
  ['neighbour-solicitation', 135, 0, 0xff],
  ['neighbor-solicitation', 135, 0, 0xff],
  ['neighbour-advertisement', 136, 0, 0xff],
  ['neighbor-advertisement', 136, 0, 0xff],
  ['redirect', 137, 0, 0xff],
];

/** The ICMPv6 names the help lists: each with its aliases in parentheses, codes indented. */
function icmp6Help(): string {
  let s = '';
  for (let i = 0; i < ICMP6_CODES.length; i++) {
    const [name, type, lo, hi] = ICMP6_CODES[i]!;
    const prev = ICMP6_CODES[i - 1];
    if (prev && prev[1] === type && prev[2] === lo && prev[3] === hi) continue;
    const aliases = ICMP6_CODES.slice(i + 1).filter(([, t, a, b]) => t === type && a === lo && b === hi).map(([n]) => n);
    s += `${lo === 0 && hi === 0xff ? '' : '   '}${name}${aliases.length ? ` (${aliases.join(', ')})` : ''}\n`;
  }
  return s;
}

function parseRange255(s: string): { lo: number; hi: number; rest: string } | null {
  const m = /^(0[xX][0-9a-fA-F]+|\d+)(?::(0[xX][0-9a-fA-F]+|\d+))?(.*)$/.exec(s);
  if (!m) return null;
  const lo = strtoui(m[1]!, 0, 255);
  const hi = m[2] !== undefined ? strtoui(m[2], 0, 255) : lo;
  if (lo === null || hi === null) return null;
  return { lo, hi, rest: m[3]! };
}

/** What tells the two families' matches apart. */
interface IcmpSpec {
  name: 'icmp' | 'icmp6';
  opt: 'icmp-type' | 'icmpv6-type';
  /** "ICMP" or "ICMPv6" in messages */
  label: string;
  /** what -L prints before a type ("icmp", "ipv6-icmp") */
  listed: string;
  codes: IcmpNames;
  help: string;
  /** the type stored for "any" (v4 only) */
  any: number | null;
}

function icmpMatch(spec: IcmpSpec): ExtDef {
  const { codes, label } = spec;
  return {
    name: spec.name,
    kind: 'match',
    opts: [{ name: spec.opt, hasArg: 1, key: 'type', invert: true, mand: true }],
    help: spec.help,
    parse(_env, x, _opt, arg, invert) {
      const s = arg;
      let match = -1;
      for (let i = 0; i < codes.length; i++) {
        if (!codes[i]![0].toLowerCase().startsWith(s.toLowerCase())) continue;
        if (match >= 0) xtError(PARAMETER_PROBLEM, `Ambiguous ${label} type \`${s}': \`${codes[match]![0]}' or \`${codes[i]![0]}'?`);
        match = i;
      }
      let type: number;
      let lo: number;
      let hi: number;
      if (match >= 0) {
        [, type, lo, hi] = codes[match]!;
      } else {
        const r = parseRange255(s);
        if (!r) xtError(PARAMETER_PROBLEM, `Unknown ${label} type \`${s}'`);
        if (r.lo !== r.hi) xtError(PARAMETER_PROBLEM, `${label} type range not supported`);
        type = r.lo;
        lo = 0;
        hi = 255;
        if (r.rest.startsWith('/')) {
          const c = parseRange255(r.rest.slice(1));
          if (!c) xtError(PARAMETER_PROBLEM, `Unknown ${label} code \`${s}'`);
          if (c.rest) xtError(PARAMETER_PROBLEM, `unknown character ${c.rest[0]}`);
          lo = c.lo;
          hi = c.hi;
        } else if (r.rest) xtError(PARAMETER_PROBLEM, `unknown character ${r.rest[0]}`);
      }
      x.options.type = String(type);
      x.options.code = lo === hi ? String(lo) : `${lo}:${hi}`;
      if (invert) (x.invert ??= {}).type = true;
    },
    print(env, x) {
      const type = Number(x.options.type ?? '255');
      const [lo, hi] = codeRange(x.options.code);
      const inv = !!x.invert?.type;
      if (!env.numeric) {
        const e = codes.find(([, t, a, b]) => t === type && a === lo && b === hi);
        if (e) return ` ${spec.listed} ${inv ? '!' : ''}${e[0]}`;
      }
      let s = ` ${spec.listed}`;
      if (inv) s += ' !';
      s += `type ${type}`;
      if (lo === hi) s += ` code ${lo}`;
      else if (lo !== 0 || hi !== 255) s += ` codes ${lo}-${hi}`;
      return s;
    },
    save(x) {
      const type = Number(x.options.type ?? '255');
      const [lo, hi] = codeRange(x.options.code);
      let s = x.invert?.type ? ' !' : '';
      if (type === spec.any) return `${s} --${spec.opt} any`;
      s += ` --${spec.opt} ${type}`;
      if (lo !== 0 || hi !== 255) s += `/${lo}`;
      return s;
    },
  };
}

export const icmpExt: ExtDef = icmpMatch({
  name: 'icmp',
  opt: 'icmp-type',
  label: 'ICMP',
  listed: 'icmp',
  codes: ICMP_CODES,
  help: 'icmp match options:\n[!] --icmp-type typename\tmatch icmp type\n[!] --icmp-type type[/code]\t(or numeric type or type/code)\n',
  any: 255,
});

export const icmp6Ext: ExtDef = icmpMatch({
  name: 'icmp6',
  opt: 'icmpv6-type',
  label: 'ICMPv6',
  listed: 'ipv6-icmp',
  codes: ICMP6_CODES,
  help: `icmpv6 match options:\n[!] --icmpv6-type typename\tmatch icmpv6 type\n\t\t\t\t(or numeric type or type/code)\nValid ICMPv6 Types:\n${icmp6Help()}`,
  any: null,
});

function codeRange(code: string | undefined): [number, number] {
  if (code === undefined) return [0, 255];
  const [a, b] = code.split(':');
  return [Number(a), b === undefined ? Number(a) : Number(b)];
}
