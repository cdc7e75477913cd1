// libipt_REJECT: --reject-with TYPE (an ICMP error or a TCP reset).
import type { ExtDef } from '../extension';
import { ruleProtoNum } from '../names';
import { PARAMETER_PROBLEM, XtError, errText, xtError } from '../xtables';

const REJECT_TABLE: [string, string, string][] = [
  ['icmp-net-unreachable', 'net-unreach', 'ICMP network unreachable'],
  ['icmp-host-unreachable', 'host-unreach', 'ICMP host unreachable'],
  ['icmp-proto-unreachable', 'proto-unreach', 'ICMP protocol unreachable'],
  ['icmp-port-unreachable', 'port-unreach', 'ICMP port unreachable (default)'],
  ['icmp-net-prohibited', 'net-prohib', 'ICMP network prohibited'],
  ['icmp-host-prohibited', 'host-prohib', 'ICMP host prohibited'],
  ['tcp-reset', 'tcp-rst', 'TCP RST packet'],
  ['icmp-admin-prohibited', 'admin-prohib', 'ICMP administratively prohibited (*)'],
];

export const rejectExt: ExtDef = {
  name: 'REJECT',
  kind: 'target',
  opts: [{ name: 'reject-with', hasArg: 1, key: 'reject-with' }],
  help:
    'REJECT target options:\n--reject-with type              drop input packet and send back\n                                a reply packet according to type:\nValid reject types:\n' +
    REJECT_TABLE.map(([n, a, d]) => `    ${n.padEnd(25)}\t${d}\n    ${a.padEnd(25)}\talias\n`).join('') +
    '\n(*) See man page or read the INCOMPATIBILITES file for compatibility issues.\n',
  parse(env, x, _opt, arg) {
    const a = arg;
    const hit = REJECT_TABLE.find(([n, al]) => n.toLowerCase().startsWith(a.toLowerCase()) || al.toLowerCase().startsWith(a.toLowerCase()));
    if (!hit) {
      if ('echo-reply'.startsWith(a.toLowerCase()) || 'echoreply'.startsWith(a.toLowerCase())) throw new XtError(PARAMETER_PROBLEM, '--reject-with echo-reply no longer supported\n' + errText(PARAMETER_PROBLEM, `unknown reject type "${a}"`));
      xtError(PARAMETER_PROBLEM, `unknown reject type "${a}"`);
    }
    if (hit[0] === 'tcp-reset' && ruleProtoNum(env.rule) !== 6) {
      // the kernel refuses it at commit time; iptables-nft reports it then
      x.options._needsTcp = '1';
    }
    x.options['reject-with'] = hit[0];
  },
  final(_env, x) {
    x.options['reject-with'] ??= 'icmp-port-unreachable';
  },
  print(_env, x) {
    return ` reject-with ${x.options['reject-with'] ?? 'icmp-port-unreachable'}`;
  },
  save(x) {
    return ` --reject-with ${x.options['reject-with'] ?? 'icmp-port-unreachable'}`;
  },
};
