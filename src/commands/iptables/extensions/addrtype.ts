// libxt_addrtype: --src-type / --dst-type (RTN_* route types), limited to the in or out interface.
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, xtError } from '../xtables';

const RTN_NAMES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

export const addrtypeExt: ExtDef = {
  name: 'addrtype',
  kind: 'match',
  opts: [
    { name: 'src-type', hasArg: 1, key: 'src-type', invert: true },
    { name: 'dst-type', hasArg: 1, key: 'dst-type', invert: true },
    { name: 'limit-iface-in', hasArg: 0, key: 'limit-iface-in' },
    { name: 'limit-iface-out', hasArg: 0, key: 'limit-iface-out' },
  ],
  parse(_env, x, opt, arg, invert) {
    if (opt.key === 'src-type' || opt.key === 'dst-type') {
      const set = new Set<string>();
      for (const t of arg.split(',')) {
        const hit = RTN_NAMES.find((n) => n.toLowerCase() === t.toLowerCase());
        if (!hit) xtError(PARAMETER_PROBLEM, `addrtype: bad type "${t}"`);
        set.add(hit);
      }
      x.options[opt.key] = RTN_NAMES.filter((n) => set.has(n)).join(',');
      if (invert) (x.invert ??= {})[opt.key] = true;
    } else {
      if (x.options['limit-iface-in'] !== undefined || x.options['limit-iface-out'] !== undefined) xtError(PARAMETER_PROBLEM, 'addrtype: you can\'t specify both --limit-iface-in and --limit-iface-out');
      x.options[opt.key] = '';
    }
  },
  final(_env, x) {
    if (x.options['src-type'] === undefined && x.options['dst-type'] === undefined) xtError(PARAMETER_PROBLEM, 'addrtype: you must specify --src-type or --dst-type');
  },
  print(_env, x) {
    const o = x.options;
    let s = ' ADDRTYPE match';
    if (o['src-type'] !== undefined) s += ` src-type ${x.invert?.['src-type'] ? '!' : ''}${o['src-type']}`;
    if (o['dst-type'] !== undefined) s += ` dst-type ${x.invert?.['dst-type'] ? '!' : ''}${o['dst-type']}`;
    if (o['limit-iface-in'] !== undefined) s += ' limit-in';
    if (o['limit-iface-out'] !== undefined) s += ' limit-out';
    return s;
  },
  save(x) {
    const o = x.options;
    let s = '';
    if (o['src-type'] !== undefined) s += `${x.invert?.['src-type'] ? ' !' : ''} --src-type ${o['src-type']}`;
    if (o['dst-type'] !== undefined) s += `${x.invert?.['dst-type'] ? ' !' : ''} --dst-type ${o['dst-type']}`;
    if (o['limit-iface-in'] !== undefined) s += ' --limit-iface-in';
    if (o['limit-iface-out'] !== undefined) s += ' --limit-iface-out';
    return s;
  },
};
