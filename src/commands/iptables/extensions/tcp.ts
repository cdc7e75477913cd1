// libxt_tcp: --sport/--dport ranges, --tcp-flags / --syn, --tcp-option.
// The udp match (libxt_udp) is the same without the TCP-only options.
import type { ExtDef, ExtOpt } from '../extension';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';
import { parsePortRange, printPorts } from './ports';

const TCP_FLAGS: [string, number][] = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ALL', 0x3f],
  ['NONE', 0],
];

function parseTcpFlags(s: string): number {
  let m = 0;
  for (const f of s.split(',')) {
    if (f === '') continue;
    const e = TCP_FLAGS.find(([n]) => n.toLowerCase() === f.toLowerCase());
    if (!e) xtError(PARAMETER_PROBLEM, `Unknown TCP flag \`${f}'`);
    m |= e[1];
  }
  return m;
}

function tcpFlagNames(bits: number): string {
  const out: string[] = [];
  let f = bits;
  while (f) {
    const e = TCP_FLAGS.find(([, v]) => (f & v) !== 0)!;
    out.push(e[0]);
    f &= ~e[1];
  }
  return out.length ? out.join(',') : 'NONE';
}

export function tcpUdp(name: 'tcp' | 'udp'): ExtDef {
  const opts: ExtOpt[] = [
    { name: 'source-port', hasArg: 1, key: 'sport', invert: true },
    { name: 'sport', hasArg: 1, key: 'sport', invert: true },
    { name: 'destination-port', hasArg: 1, key: 'dport', invert: true },
    { name: 'dport', hasArg: 1, key: 'dport', invert: true },
  ];
  if (name === 'tcp')
    opts.push(
      { name: 'syn', hasArg: 0, key: 'tcp-flags', invert: true },
      { name: 'tcp-flags', hasArg: 1, key: 'tcp-flags', invert: true },
      { name: 'tcp-option', hasArg: 1, key: 'tcp-option', invert: true },
    );
  return {
    name,
    kind: 'match',
    opts,
    help:
      name === 'tcp'
        ? 'tcp match options:\n[!] --tcp-flags mask comp\tmatch when TCP flags & mask == comp\n\t\t\t\t(Flags: SYN ACK FIN RST URG PSH ALL NONE)\n[!] --syn\t\t\tmatch when only SYN flag set\n\t\t\t\t(equivalent to --tcp-flags SYN,RST,ACK,FIN SYN)\n[!] --source-port port[:port]\n --sport ...\n\t\t\t\tmatch source port(s)\n[!] --destination-port port[:port]\n --dport ...\n\t\t\t\tmatch destination port(s)\n[!] --tcp-option number        match if TCP option set\n'
        : 'udp match options:\n[!] --source-port port[:port]\n --sport ...\n\t\t\t\tmatch source port(s)\n[!] --destination-port port[:port]\n --dport ...\n\t\t\t\tmatch destination port(s)\n',
    parse(env, x, opt, arg, invert) {
      const inv = (x.invert ??= {});
      if (opt.key === 'sport' || opt.key === 'dport') {
        if (x.options[opt.key] !== undefined) xtError(PARAMETER_PROBLEM, `Only one \`--${opt.key === 'sport' ? 'source' : 'destination'}-port' allowed`);
        x.options[opt.key] = parsePortRange(env.db, arg, name);
      } else if (opt.key === 'tcp-flags') {
        if (x.options['tcp-flags'] !== undefined) xtError(PARAMETER_PROBLEM, "Only one of `--syn' or `--tcp-flags'  allowed");
        let mask: number;
        let comp: number;
        if (opt.name === 'syn') {
          mask = parseTcpFlags('SYN,RST,ACK,FIN');
          comp = parseTcpFlags('SYN');
        } else {
          const next = env.argv[env.getopt.optind];
          if (next === undefined || next.startsWith('-') || next.startsWith('!')) xtError(PARAMETER_PROBLEM, '--tcp-flags requires two args.');
          mask = parseTcpFlags(arg);
          comp = parseTcpFlags(next);
          env.getopt.optind++;
        }
        x.options['tcp-flags'] = `${tcpFlagNames(mask)} ${tcpFlagNames(comp)}`;
      } else if (opt.key === 'tcp-option') {
        if (x.options['tcp-option'] !== undefined) xtError(PARAMETER_PROBLEM, "Only one `--tcp-option' allowed");
        const n = strtoui(arg, 1, 255);
        if (n === null) xtError(PARAMETER_PROBLEM, `Bad TCP option "${arg}"`);
        x.options['tcp-option'] = String(n);
      }
      if (invert) inv[opt.key] = true;
    },
    print(env, x) {
      const o = x.options;
      const inv = x.invert ?? {};
      let s = ` ${name}`;
      s += printPorts(env, 'spt', o.sport, !!inv.sport, name);
      s += printPorts(env, 'dpt', o.dport, !!inv.dport, name);
      if (o['tcp-option'] !== undefined) s += ` option=${inv['tcp-option'] ? '!' : ''}${o['tcp-option']}`;
      if (o['tcp-flags'] !== undefined) {
        const [m, c] = o['tcp-flags'].split(' ');
        s += ` flags:${inv['tcp-flags'] ? '!' : ''}`;
        if (env.numeric) s += `0x${hex2(parseTcpFlags(m!))}/0x${hex2(parseTcpFlags(c!))}`;
        else s += `${m}/${c}`;
      }
      return s;
    },
    save(x) {
      const o = x.options;
      const inv = x.invert ?? {};
      let s = '';
      if (o.sport !== undefined) s += `${inv.sport ? ' !' : ''} --sport ${o.sport}`;
      if (o.dport !== undefined) s += `${inv.dport ? ' !' : ''} --dport ${o.dport}`;
      if (o['tcp-option'] !== undefined) s += `${inv['tcp-option'] ? ' !' : ''} --tcp-option ${o['tcp-option']}`;
      if (o['tcp-flags'] !== undefined) s += `${inv['tcp-flags'] ? ' !' : ''} --tcp-flags ${o['tcp-flags']}`;
      return s;
    },
  };
}

export function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

export const tcpExt: ExtDef = tcpUdp('tcp');
