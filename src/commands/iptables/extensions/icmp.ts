// libipt_icmp: --icmp-type by name, number, or type/code.
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

const ICMP_CODES: [string, number, number, number][] = [
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

function parseRange255(s: string): { lo: number; hi: number; rest: string } | null {
  const m = /^(0[xX][0-9a-fA-F]+|\d+)(?::(0[xX][0-9a-fA-F]+|\d+))?(.*)$/.exec(s);
  if (!m) return null;
  const lo = strtoui(m[1]!, 0, 255);
  const hi = m[2] !== undefined ? strtoui(m[2], 0, 255) : lo;
  if (lo === null || hi === null) return null;
  return { lo, hi, rest: m[3]! };
}

export const icmpExt: ExtDef = {
  name: 'icmp',
  kind: 'match',
  opts: [{ name: 'icmp-type', hasArg: 1, key: 'type', invert: true, mand: true }],
  help: 'icmp match options:\n[!] --icmp-type typename\tmatch icmp type\n[!] --icmp-type type[/code]\t(or numeric type or type/code)\n',
  parse(_env, x, opt, arg, invert) {
    const s = arg;
    let match = -1;
    for (let i = 0; i < ICMP_CODES.length; i++) {
      if (!ICMP_CODES[i]![0].toLowerCase().startsWith(s.toLowerCase())) continue;
      if (match >= 0) xtError(PARAMETER_PROBLEM, `Ambiguous ICMP type \`${s}': \`${ICMP_CODES[match]![0]}' or \`${ICMP_CODES[i]![0]}'?`);
      match = i;
    }
    let type: number;
    let lo: number;
    let hi: number;
    if (match >= 0) {
      [, type, lo, hi] = ICMP_CODES[match]!;
    } else {
      const r = parseRange255(s);
      if (!r) xtError(PARAMETER_PROBLEM, `Unknown ICMP type \`${s}'`);
      if (r.lo !== r.hi) xtError(PARAMETER_PROBLEM, 'ICMP type range not supported');
      type = r.lo;
      lo = 0;
      hi = 255;
      if (r.rest.startsWith('/')) {
        const c = parseRange255(r.rest.slice(1));
        if (!c) xtError(PARAMETER_PROBLEM, `Unknown ICMP code \`${s}'`);
        if (c.rest) xtError(PARAMETER_PROBLEM, `unknown character ${c.rest[0]}`);
        lo = c.lo;
        hi = c.hi;
      } else if (r.rest) xtError(PARAMETER_PROBLEM, `unknown character ${r.rest[0]}`);
    }
    x.options.type = String(type);
    x.options.code = lo === hi ? String(lo) : `${lo}:${hi}`;
    if (invert) (x.invert ??= {}).type = true;
    void opt;
  },
  print(env, x) {
    const type = Number(x.options.type ?? '255');
    const [lo, hi] = codeRange(x.options.code);
    const inv = !!x.invert?.type;
    if (!env.numeric) {
      const e = ICMP_CODES.find(([, t, a, b]) => t === type && a === lo && b === hi);
      if (e) return ` icmp ${inv ? '!' : ''}${e[0]}`;
    }
    let s = ' icmp';
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
    if (type === 255) return `${s} --icmp-type any`;
    s += ` --icmp-type ${type}`;
    if (lo !== 0 || hi !== 255) s += `/${lo}`;
    return s;
  },
};

function codeRange(code: string | undefined): [number, number] {
  if (code === undefined) return [0, 255];
  const [a, b] = code.split(':');
  return [Number(a), b === undefined ? Number(a) : Number(b)];
}
