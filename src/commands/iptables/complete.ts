// Tab completion for iptables and iptables-save: tables, the chains of the
// selected table (built-ins and the user chains of the simulated state),
// protocols, targets, match modules, the long options of the matches and
// the target already on the line, their values, and rule numbers.
import type { CompletionContext } from '../types';
import { isBuiltinTable, listChains, TARGETS, type NfTableName } from '../../sim/netfilter';
import { compCtx, ifNames, type CompCtx } from '../completion-util';
import { allExtensions } from './extensions/index';

const TABLES = ['filter', 'nat', 'mangle', 'raw', 'security'];
const PROTOCOLS = ['all', 'tcp', 'udp', 'udplite', 'icmp', 'esp', 'ah', 'sctp'];
/** The match modules, and the long options of every match and target, from the extensions' own declarations. */
const MODULES = allExtensions()
  .filter((e) => e.kind === 'match')
  .map((e) => e.name)
  .sort();
const EXTS = [...allExtensions(4), ...allExtensions(6)];
/** (ip6tables' icmp6 match is loaded by -p under its protocol's names too) */
const EXT_OPTS: Record<string, string[]> = Object.fromEntries([...EXTS.map((e) => [e.name, e.opts.map((o) => `--${o.name}`)]), ['icmpv6', ['--icmpv6-type']], ['ipv6-icmp', ['--icmpv6-type']]]);
/** Extension options that take no value (the word after one is not its value). */
const FLAG_OPTS = new Set(EXTS.flatMap((e) => e.opts.filter((o) => o.hasArg === 0).map((o) => `--${o.name}`)));

const ICMP_TYPES = [
  'any', 'echo-reply', 'pong', 'destination-unreachable', 'network-unreachable', 'host-unreachable', 'protocol-unreachable', 'port-unreachable',
  'fragmentation-needed', 'source-route-failed', 'network-unknown', 'host-unknown', 'network-prohibited', 'host-prohibited', 'TOS-network-unreachable',
  'TOS-host-unreachable', 'communication-prohibited', 'host-precedence-violation', 'precedence-cutoff', 'source-quench', 'redirect', 'network-redirect',
  'host-redirect', 'TOS-network-redirect', 'TOS-host-redirect', 'echo-request', 'ping', 'router-advertisement', 'router-solicitation', 'time-exceeded',
  'ttl-exceeded', 'ttl-zero-during-transit', 'ttl-zero-during-reassembly', 'parameter-problem', 'ip-header-bad', 'required-option-missing',
  'timestamp-request', 'timestamp-reply', 'address-mask-request', 'address-mask-reply',
];
const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
const ADDR_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

/** Values of extension options. */
const EXT_VALUES: Record<string, string[]> = {
  '--icmp-type': ICMP_TYPES,
  '--ctstate': CT_STATES,
  '--state': CT_STATES.slice(0, 5),
  '--ctproto': PROTOCOLS,
  '--ctstatus': ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'],
  '--ctdir': ['ORIGINAL', 'REPLY'],
  '--src-type': ADDR_TYPES,
  '--dst-type': ADDR_TYPES,
  '--mode': ['random', 'nth'],
  '--icmpv6-type': ['destination-unreachable', 'packet-too-big', 'time-exceeded', 'parameter-problem', 'echo-request', 'echo-reply', 'router-solicitation', 'router-advertisement', 'neighbour-solicitation', 'neighbour-advertisement', 'redirect'],
  '--reject-with': ['icmp6-no-route', 'icmp6-adm-prohibited', 'icmp6-addr-unreachable', 'icmp6-port-unreachable', 'icmp-net-unreachable', 'icmp-host-unreachable', 'icmp-port-unreachable', 'icmp-proto-unreachable', 'icmp-net-prohibited', 'icmp-host-prohibited', 'icmp-admin-prohibited', 'tcp-reset'],
  '--log-level': ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'],
  '--limit': ['1/second', '1/minute', '1/hour', '1/day'],
  '--tcp-flags': ['SYN,ACK,FIN,RST', 'SYN', 'ACK', 'FIN', 'RST', 'URG', 'PSH', 'ALL', 'NONE'],
};

const SHORT = ['-A', '-C', '-D', '-I', '-R', '-L', '-S', '-F', '-Z', '-N', '-X', '-E', '-P', '-t', '-p', '-s', '-d', '-i', '-o', '-j', '-g', '-m', '-n', '-v', '-x', '-w', '-W', '-c', '-f', '-4', '-6', '-h', '-V'];
const LONG = [
  '--append', '--check', '--delete', '--insert', '--replace', '--list', '--list-rules', '--flush', '--zero', '--new-chain', '--delete-chain', '--rename-chain',
  '--policy', '--table', '--protocol', '--source', '--destination', '--in-interface', '--out-interface', '--jump', '--goto', '--match', '--numeric',
  '--verbose', '--exact', '--line-numbers', '--wait', '--wait-interval', '--set-counters', '--fragment', '--ipv4', '--ipv6', '--modprobe', '--help', '--version',
];

/** Commands that name a chain next (all chains), their long forms, and those limited to user chains. */
const CHAIN_CMDS = ['-A', '-C', '-D', '-I', '-R', '-L', '-S', '-F', '-Z', '-E', '-P', '--append', '--check', '--delete', '--insert', '--replace', '--list', '--list-rules', '--flush', '--zero', '--rename-chain', '--policy'];
const USER_CHAIN_CMDS = ['-X', '--delete-chain'];
const RULENUM_CMDS = ['-D', '-R', '-I', '--delete', '--replace', '--insert'];

/** Short option letters taking a value (for clusters like -nvL and -tnat). */
const SHORT_ARG = 'ACDEFILMNPRSXZcdgijmopstw';

interface IptLine {
  table: NfTableName;
  /** modules loaded by -m and implied by -p */
  matches: string[];
  target: string | null;
}

/** A table's entry for a name from the command line (never an Object.prototype member: `-m toString`). */
function own(table: Record<string, string[]>, name: string): string[] | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

function scan(words: string[]): IptLine {
  const line: IptLine = { table: 'filter', matches: [], target: null };
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    const value = (): string | undefined => next;
    if (w === '-t' || w === '--table') {
      const v = value();
      if (v && isBuiltinTable(v)) line.table = v;
    } else if (/^-t\w+$/.test(w) && isBuiltinTable(w.slice(2))) line.table = w.slice(2) as NfTableName;
    else if (w.startsWith('--table=') && isBuiltinTable(w.slice(8))) line.table = w.slice(8) as NfTableName;
    else if (w === '-m' || w === '--match') {
      if (next) line.matches.push(next);
    } else if (w === '-p' || w === '--protocol') {
      if (next && own(EXT_OPTS, next)) line.matches.push(next);
    } else if (w === '-j' || w === '--jump') {
      if (next) line.target = next;
    }
  }
  return line;
}

/** ip6tables' line completes from the IPv6 rule set. */
const familyOf = (words: string[]): 4 | 6 => (words[0]?.startsWith('ip6tables') ? 6 : 4);

function chains(c: CompCtx, table: NfTableName, userOnly = false, family: 4 | 6 = 4): string[] {
  const ns = c.sys.world.state.namespaces[c.ns];
  if (!ns) return [];
  return listChains(ns, table, family)
    .filter((ch) => !userOnly || !ch.builtin)
    .map((ch) => ch.name);
}

/** Rule numbers of a chain (-I may also name the position after the last rule). */
function ruleNumbers(c: CompCtx, table: NfTableName, chain: string, insert: boolean, family: 4 | 6): string[] {
  const ns = c.sys.world.state.namespaces[c.ns];
  const ch = ns ? listChains(ns, table, family).find((x) => x.name === chain) : undefined;
  if (!ch || ch.rules.length === 0) return [];
  return Array.from({ length: ch.rules.length + (insert ? 1 : 0) }, (_, i) => String(i + 1));
}

export function completeIptables(ctx: CompletionContext): string[] {
  const c = compCtx(ctx);
  const { words, current } = ctx;
  const line = scan(words);
  const prev = words[words.length - 1]!;
  const prev2 = words[words.length - 2];
  // a short cluster ending with the option letter: -nvL, -vA
  const prevOpt = /^-[a-zA-Z0-9]{2,}$/.test(prev) && SHORT_ARG.includes(prev[prev.length - 1]!) ? '-' + prev[prev.length - 1] : prev;
  if (prevOpt === '-t' || prevOpt === '--table') return TABLES;
  const family = familyOf(words);
  if (USER_CHAIN_CMDS.includes(prevOpt)) return chains(c, line.table, true, family);
  if (CHAIN_CMDS.includes(prevOpt)) return chains(c, line.table, false, family);
  if (prevOpt === '-N' || prevOpt === '--new-chain') return [];
  if (prev2 && (prev2 === '-P' || prev2 === '--policy')) return ['ACCEPT', 'DROP'];
  if (prev2 && RULENUM_CMDS.includes(prev2) && !current.startsWith('-')) {
    const nums = ruleNumbers(c, line.table, prev, prev2 === '-I' || prev2 === '--insert', family);
    if (nums.length) return nums;
  }
  if (prevOpt === '-p' || prevOpt === '--protocol') return family === 6 ? [...PROTOCOLS.filter((p) => p !== 'icmp'), 'ipv6-icmp'] : PROTOCOLS;
  if (prevOpt === '-j' || prevOpt === '--jump') return [...TARGETS, ...chains(c, line.table, true, family)];
  if (prevOpt === '-g' || prevOpt === '--goto') return chains(c, line.table, true, family);
  if (prevOpt === '-m' || prevOpt === '--match') return MODULES;
  if (['-i', '-o', '--in-interface', '--out-interface'].includes(prevOpt)) return ifNames(c);
  const values = own(EXT_VALUES, prev);
  if (values && [...line.matches, line.target ?? ''].some((m) => own(EXT_OPTS, m)?.includes(prev))) return values;
  const extOpts = [...line.matches, ...(line.target ? [line.target] : [])].flatMap((m) => own(EXT_OPTS, m) ?? []);
  if (['-s', '-d', '--source', '--destination', '-c', '--set-counters', '-w', '--wait', '-W', '--wait-interval', '-M', '--modprobe', '-E', '--rename-chain'].includes(prevOpt)) return [];
  if (extOpts.includes(prev) && !FLAG_OPTS.has(prev)) return [];
  if (current.startsWith('--')) return [...LONG, ...extOpts];
  return [...SHORT, ...LONG, ...extOpts];
}

export function completeIptablesSave(ctx: CompletionContext): string[] {
  const prev = ctx.words[ctx.words.length - 1]!;
  if (prev === '-t' || prev === '--table') return TABLES;
  if (prev === '-f' || prev === '--file' || prev === '-M' || prev === '--modprobe') return [];
  return ['-t', '-c', '-f', '-M', '-V', '-h', '--table', '--counters', '--file', '--modprobe', '--version', '--help'];
}
