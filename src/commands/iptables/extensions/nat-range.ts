// The NAT range (nf_nat_range) the NAT targets share: [ip[-ip]][:port[-port]]
// for SNAT and DNAT, port[-port] for MASQUERADE and REDIRECT, stored
// canonical; and the target definition built around one.
import { canonicalIp, isIPv4, isIPv6 } from '../../../sim/ip';
import type { NfFamily } from '../../../sim/netfilter';
import type { Rule } from '../../../sim/types';
import { canonV4 } from '../addr';
import type { ExtDef, ExtOpt } from '../extension';
import { ruleProtoNum, type NameDb } from '../names';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

/** NAT target ranges: "[ip[-ip]][:port[-port]]", stored canonical. */
function parseNatPorts(db: NameDb, arg: string, portok: boolean): string {
  if (!portok) xtError(PARAMETER_PROBLEM, 'Need TCP, UDP, SCTP or DCCP with port specification');
  const m = /^([^-:/]*)(.*)$/.exec(arg)!;
  let port = strtoui(m[1]!, 0, 65535);
  let rest = m[2]!;
  if (port === null) {
    const p = db.port(arg, null);
    if (p === null) xtError(PARAMETER_PROBLEM, `Port \`${arg}' not valid`);
    port = p;
    rest = '';
  }
  if (rest === '') return String(port);
  if (rest.startsWith(':')) xtError(PARAMETER_PROBLEM, 'Invalid port:port syntax - use dash');
  if (!rest.startsWith('-')) xtError(PARAMETER_PROBLEM, `Garbage after port value: \`${rest}'`);
  const m2 = /^(\d+)(.*)$/.exec(rest.slice(1));
  const max = m2 ? strtoui(m2[1]!, 0, 65535) : null;
  if (!m2 || max === null) xtError(PARAMETER_PROBLEM, `Port \`${rest.slice(1)}' not valid`);
  if (max < port) xtError(PARAMETER_PROBLEM, `Port range \`${rest.slice(1)}' funky`);
  if (m2[2]) xtError(PARAMETER_PROBLEM, `Garbage after port range: \`${m2[2]}'`);
  return port === max ? String(port) : `${port}-${max}`;
}


/** parse_to() of libxt_NAT: "[ip[-ip]][:port[-port]]", an IPv6 range in brackets when ports follow; stored as the tool saves it. */
function parseNatTo(db: NameDb, arg: string, portok: boolean, family: NfFamily): string {
  let start = arg;
  let colon: number;
  const bracket = arg.indexOf('[');
  if (bracket < 0) {
    // one colon is port information, more make an IPv6 address
    colon = arg.indexOf(':');
    if (colon >= 0 && arg.indexOf(':', colon + 1) >= 0) colon = -1;
  } else {
    const end = arg.indexOf(']', bracket + 1);
    if (end < 0 || family === 4) xtError(PARAMETER_PROBLEM, 'Invalid address format');
    start = arg.slice(bracket + 1, end);
    const c = arg.indexOf(':', end + 1);
    colon = c;
  }
  let ports = '';
  if (colon >= 0) {
    ports = parseNatPorts(db, arg.slice(colon + 1), portok);
    // no address before the ports (":80", "[]:80")
    if (colon === 0 || colon === 2) return `:${ports}`;
    if (bracket < 0) start = arg.slice(0, colon);
  }
  const dash = start.indexOf('-');
  const a = dash >= 0 ? start.slice(0, dash) : start;
  const canon = (x: string): string => {
    const c = family === 4 ? (isIPv4(x) ? canonV4(x) : null) : isIPv6(x) ? canonicalIp(x) : null;
    if (c === null) xtError(PARAMETER_PROBLEM, `Bad IP address "${x}"`);
    return c;
  };
  let ips = canon(a);
  if (dash >= 0) {
    const b = canon(start.slice(dash + 1));
    if (b !== ips) ips += `-${b}`;
  }
  if (!ports) return ips;
  return family === 6 ? `[${ips}]:${ports}` : `${ips}:${ports}`;
}

function natPortOk(rule: Rule): boolean {
  return [6, 17, 132, 33, 1].includes(ruleProtoNum(rule));
}

/** What distinguishes one NAT target from another: its range option, the flags it takes, its help, how -L shows the range. */
export interface NatTargetSpec {
  name: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT';
  /** --to-source / --to-destination (address and ports, mandatory) or --to-ports (ports only) */
  toKey: 'to-source' | 'to-destination' | 'to-ports';
  flags: ('random' | 'random-fully' | 'persistent')[];
  help: string;
  /** the -L text of a range */
  listRange(range: string): string;
}

/** A NAT target's extension. */
export function natTarget(spec: NatTargetSpec): ExtDef {
  const { name, toKey } = spec;
  const withAddr = toKey !== 'to-ports';
  const opts: ExtOpt[] = [{ name: toKey, hasArg: 1, key: toKey, mand: withAddr }, ...spec.flags.map((f): ExtOpt => ({ name: f, hasArg: 0, key: f }))];
  return {
    name,
    kind: 'target',
    opts,
    help: spec.help,
    parse(env, x, opt, arg) {
      if (opt.key === toKey) {
        x.options[toKey] = withAddr ? parseNatTo(env.db, arg, natPortOk(env.rule), env.family) : parseNatPorts(env.db, arg, natPortOk(env.rule));
      } else x.options[opt.key] = '';
    },
    print(_env, x) {
      const o = x.options;
      let s = '';
      const range = o[toKey];
      if (range !== undefined) s += spec.listRange(range);
      if (o.random !== undefined) s += ' random';
      if (o['random-fully'] !== undefined) s += ' random-fully';
      if (o.persistent !== undefined) s += ' persistent';
      return s;
    },
    save(x) {
      const o = x.options;
      let s = '';
      if (o[toKey] !== undefined) s += ` --${toKey} ${o[toKey]}`;
      if (o.random !== undefined) s += ' --random';
      if (o['random-fully'] !== undefined) s += ' --random-fully';
      if (o.persistent !== undefined) s += ' --persistent';
      return s;
    },
  };
}
