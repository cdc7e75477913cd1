// libxt_iprange: --src-range / --dst-range ip[-ip].
import { v4ToInt } from '../../../sim/ip';
import { numericToIp } from '../addr';
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, xtError } from '../xtables';

/** xtables_numeric_to_ipaddr() of an iprange end, or the BAD_VALUE error. */
function iprangeAddr(spec: string, optname: string): string {
  const a = numericToIp(spec, false);
  if (a === null) xtError(PARAMETER_PROBLEM, `iprange: Bad value for "${optname}" option: "${spec}"`);
  return a;
}

export const iprangeExt: ExtDef = {
  name: 'iprange',
  kind: 'match',
  opts: [
    { name: 'src-range', hasArg: 1, key: 'src-range', invert: true },
    { name: 'dst-range', hasArg: 1, key: 'dst-range', invert: true },
  ],
  help: 'iprange match options:\n[!] --src-range ip[-ip]    Match source IP in the specified range\n[!] --dst-range ip[-ip]    Match destination IP in the specified range\n',
  parse(env, x, opt, arg, invert) {
    const a = arg;
    const dash = a.indexOf('-');
    const from = dash < 0 ? a : a.slice(0, dash);
    const to = dash < 0 ? a : a.slice(dash + 1);
    const lo = iprangeAddr(from, `--${opt.name}`);
    const hi = iprangeAddr(to, `--${opt.name}`);
    // a reversed range is accepted with a warning (it never matches)
    if (dash >= 0 && v4ToInt(lo) > v4ToInt(hi)) env.warnings.push(`xt_iprange: range ${from}-${to} is reversed and will never match\n`);
    x.options[opt.key] = `${lo}-${hi}`;
    if (invert) (x.invert ??= {})[opt.key] = true;
  },
  final(_env, x) {
    if (x.options['src-range'] === undefined && x.options['dst-range'] === undefined) xtError(PARAMETER_PROBLEM, "iprange match: You must specify `--src-range' or `--dst-range'");
  },
  print(_env, x) {
    let s = '';
    if (x.options['src-range'] !== undefined) s += ` source IP range${x.invert?.['src-range'] ? ' !' : ''} ${x.options['src-range']}`;
    if (x.options['dst-range'] !== undefined) s += ` destination IP range${x.invert?.['dst-range'] ? ' !' : ''} ${x.options['dst-range']}`;
    return s;
  },
  save(x) {
    let s = '';
    if (x.options['src-range'] !== undefined) s += `${x.invert?.['src-range'] ? ' !' : ''} --src-range ${x.options['src-range']}`;
    if (x.options['dst-range'] !== undefined) s += `${x.invert?.['dst-range'] ? ' !' : ''} --dst-range ${x.options['dst-range']}`;
    return s;
  },
};
