// libipt_REJECT and libip6t_REJECT: --reject-with TYPE (an ICMP or ICMPv6
// error, or a TCP reset); one definition over each family's table of types.
import type { ExtDef } from '../extension';
import { ruleProtoNum } from '../names';
import { PARAMETER_PROBLEM, XtError } from '../xtables';

/** [name, alias, help text] of each reject type, in the tool's order. */
type RejectTable = [string, string, string][];

const REJECT4: RejectTable = [
  ['icmp-net-unreachable', 'net-unreach', 'ICMP network unreachable'],
  ['icmp-host-unreachable', 'host-unreach', 'ICMP host unreachable'],
  ['icmp-proto-unreachable', 'proto-unreach', 'ICMP protocol unreachable'],
  ['icmp-port-unreachable', 'port-unreach', 'ICMP port unreachable (default)'],
  ['icmp-net-prohibited', 'net-prohib', 'ICMP network prohibited'],
  ['icmp-host-prohibited', 'host-prohib', 'ICMP host prohibited'],
  ['tcp-reset', 'tcp-rst', 'TCP RST packet'],
  ['icmp-admin-prohibited', 'admin-prohib', 'ICMP administratively prohibited (*)'],
];

const REJECT6: RejectTable = [
  ['icmp6-no-route', 'no-route', 'ICMPv6 no route'],
  ['icmp6-adm-prohibited', 'adm-prohibited', 'ICMPv6 administratively prohibited'],
  ['icmp6-addr-unreachable', 'addr-unreach', 'ICMPv6 address unreachable'],
  ['icmp6-port-unreachable', 'port-unreach', 'ICMPv6 port unreachable'],
  ['tcp-reset', 'tcp-reset', 'TCP RST packet'],
  ['icmp6-policy-fail', 'policy-fail', 'ICMPv6 policy fail'],
  ['icmp6-reject-route', 'reject-route', 'ICMPv6 reject route'],
];

function rejectTarget(table: RejectTable, dflt: string, footer: string, echoReply: boolean): ExtDef {
  return {
    name: 'REJECT',
    kind: 'target',
    opts: [{ name: 'reject-with', hasArg: 1, key: 'reject-with' }],
    help:
      'REJECT target options:\n--reject-with type              drop input packet and send back\n                                a reply packet according to type:\nValid reject types:\n' +
      table.map(([n, a, d]) => `    ${n.padEnd(25)}\t${d}\n    ${a.padEnd(25)}\talias\n`).join('') +
      footer,
    parse(env, x, _opt, arg) {
      const a = arg.toLowerCase();
      const hit = table.find(([n, al]) => n.toLowerCase().startsWith(a) || al.toLowerCase().startsWith(a));
      if (!hit) {
        const before = echoReply && ('echo-reply'.startsWith(a) || 'echoreply'.startsWith(a)) ? '--reject-with echo-reply no longer supported\n' : '';
        throw new XtError(PARAMETER_PROBLEM, `unknown reject type "${arg}"`, before);
      }
      // tcp-reset without -p tcp: the kernel refuses it at commit time; iptables-nft reports it then
      if (hit[0] === 'tcp-reset' && ruleProtoNum(env.rule) !== 6) x.options._needsTcp = '1';
      x.options['reject-with'] = hit[0];
    },
    final(_env, x) {
      x.options['reject-with'] ??= dflt;
    },
    print(_env, x) {
      return ` reject-with ${x.options['reject-with'] ?? dflt}`;
    },
    save(x) {
      return ` --reject-with ${x.options['reject-with'] ?? dflt}`;
    },
  };
}

export const rejectExt: ExtDef = rejectTarget(REJECT4, 'icmp-port-unreachable', '\n(*) See man page or read the INCOMPATIBILITES file for compatibility issues.\n', true);
export const reject6Ext: ExtDef = rejectTarget(REJECT6, 'icmp6-port-unreachable', '\n', false);
