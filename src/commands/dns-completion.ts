// Tab completion for the DNS tools: options, record types, databases,
// servers from /etc/resolv.conf, names from /etc/hosts.
import type { CompletionContext } from './types';
import { parseHostsFile, parseResolvConf } from '../sim/resolver';

const TYPES = ['A', 'AAAA', 'ANY', 'CAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'];

const DIG_PLUS = [
  '+all', '+noall', '+answer', '+noanswer', '+authority', '+noauthority', '+additional', '+noadditional', '+question', '+noquestion',
  '+comments', '+nocomments', '+stats', '+nostats', '+cmd', '+nocmd', '+short', '+noshort', '+search', '+nosearch', '+showsearch',
  '+recurse', '+norecurse', '+tcp', '+notcp', '+time=', '+timeout=', '+tries=', '+retry=', '+ndots=', '+domain=', '+edns', '+noedns',
  '+cookie', '+nocookie', '+dnssec', '+nsid', '+ttlid', '+nottlid', '+class', '+noclass', '+identify', '+qr', '+multiline', '+trace', '+bufsize=',
];
const DIG_DASH = ['-4', '-6', '-b', '-c', '-f', '-h', '-k', '-p', '-q', '-t', '-v', '-x', '-y'];

function hostNames(ctx: CompletionContext): string[] {
  return [...new Set(parseHostsFile(ctx.sys.readFile('/etc/hosts')).flatMap((e) => e.names))];
}

function servers(ctx: CompletionContext): string[] {
  return parseResolvConf(ctx.sys.readFile('/etc/resolv.conf')).nameservers;
}

export function completeDig(ctx: CompletionContext): string[] {
  const prev = ctx.words[ctx.words.length - 1];
  if (prev === '-t') return TYPES;
  if (prev === '-c') return ['IN', 'CH', 'HS'];
  if (ctx.current.startsWith('+')) return DIG_PLUS;
  if (ctx.current.startsWith('@')) return servers(ctx).map((s) => '@' + s);
  if (ctx.current.startsWith('-')) return DIG_DASH;
  return [...hostNames(ctx), ...TYPES];
}

export function completeHost(ctx: CompletionContext): string[] {
  const prev = ctx.words[ctx.words.length - 1];
  if (prev === '-t') return TYPES;
  if (ctx.current.startsWith('-')) return ['-4', '-6', '-a', '-A', '-c', '-C', '-d', '-l', '-N', '-p', '-r', '-R', '-s', '-t', '-T', '-U', '-v', '-V', '-w', '-W'];
  return [...hostNames(ctx), ...servers(ctx)];
}

export function completeNslookup(ctx: CompletionContext): string[] {
  if (ctx.current.startsWith('-')) return ['-type=', '-query=', '-class=', '-port=', '-timeout=', '-retry=', '-debug', '-nodebug', '-recurse', '-norecurse', '-search', '-nosearch', '-domain=', '-vc', '-version', ...TYPES.map((t) => `-type=${t}`)];
  return [...hostNames(ctx), ...servers(ctx)];
}

export function completeGetent(ctx: CompletionContext): string[] {
  const args = ctx.words.slice(1).filter((w) => !w.startsWith('-'));
  if (args.length === 0) return ['ahosts', 'ahostsv4', 'ahostsv6', 'aliases', 'ethers', 'group', 'gshadow', 'hosts', 'initgroups', 'netgroup', 'networks', 'passwd', 'protocols', 'rpc', 'services', 'shadow'];
  if (args[0]!.startsWith('ahosts') || args[0] === 'hosts') return hostNames(ctx);
  return [];
}
