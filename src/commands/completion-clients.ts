// Tab completion for the client tools: ping, traceroute, nc, curl (options
// and destinations: /etc/hosts names and the world's addresses) and ssh (the
// world's hosts). kubectl's is kubectl/complete.ts (loaded with kubectl).
import type { CompletionContext } from './types';
import { compCtx, destinations, ifNames, localAddrs, worldHostNames, hostsFileNames } from './completion-util';
import { findHost } from './ssh';

/** The positional words of a command line, given the options that take a value. */
function positionals(words: string[], takesValue: (w: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-') && w.length > 1) {
      if (takesValue(w)) i++;
    } else out.push(w);
  }
  return out;
}

/** getopt short options: does `word` (a cluster like -nc) end with a letter that takes a value? */
function shortTakesValue(word: string, withArg: string): boolean {
  if (!/^-[^-]/.test(word)) return false;
  for (let i = 1; i < word.length; i++) if (withArg.includes(word[i]!)) return i === word.length - 1;
  return false;
}

// ---------------------------------------------------------------- ping

const PING_OPTIONS = ['-a', '-A', '-b', '-B', '-c', '-C', '-d', '-D', '-e', '-f', '-F', '-h', '-i', '-I', '-l', '-L', '-m', '-M', '-n', '-N', '-O', '-p', '-q', '-Q', '-R', '-s', '-S', '-t', '-T', '-U', '-v', '-V', '-w', '-W', '-4', '-6'];
const PING_ARG = 'ceFiIlmMNpQsStTwW';

export function completePing(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (shortTakesValue(prev, PING_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 'I') return [...ifNames(compCtx(ctx)), ...localAddrs(compCtx(ctx), 4)];
    if (o === 'M') return ['do', 'dont', 'want', 'probe'];
    if (o === 'T') return ['tsonly', 'tsandaddr', 'tsprespec'];
    return [];
  }
  if (current.startsWith('-')) return PING_OPTIONS;
  return destinations(ctx.sys);
}

// ---------------------------------------------------------------- traceroute

const TRACEROUTE_OPTIONS = [
  '-4', '-6', '-d', '-F', '-f', '-g', '-I', '-T', '-i', '-m', '-N', '-n', '-p', '-t', '-l', '-w', '-q', '-r', '-s', '-z', '-e', '-A', '-M', '-O', '-U', '-UL', '-D', '-P', '-V',
  '--debug', '--dont-fragment', '--first=', '--gateway=', '--icmp', '--tcp', '--interface=', '--max-hops=', '--sim-queries=', '--port=', '--tos=', '--flowlabel=',
  '--wait=', '--queries=', '--source=', '--sendwait=', '--extensions', '--as-path-lookups', '--module=', '--options=', '--sport=', '--fwmark=', '--udp', '--dccp',
  '--protocol=', '--mtu', '--back', '--version', '--help',
];
const TRACEROUTE_ARG = 'fgimNptlwqszMOP';

export function completeTraceroute(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (current.startsWith('--interface=')) return ifNames(compCtx(ctx)).map((n) => '--interface=' + n);
  if (shortTakesValue(prev, TRACEROUTE_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 'i') return ifNames(compCtx(ctx));
    if (o === 's') return localAddrs(compCtx(ctx), 4);
    if (o === 'M') return ['default', 'icmp', 'tcp', 'tcpconn', 'udp', 'udplite', 'dccp', 'raw'];
    return [];
  }
  if (current.startsWith('-')) return TRACEROUTE_OPTIONS;
  if (positionals(words, (w) => shortTakesValue(w, TRACEROUTE_ARG)).length > 0) return [];
  return destinations(ctx.sys);
}

// ---------------------------------------------------------------- nc

const NC_OPTIONS = ['-4', '-6', '-b', '-C', '-D', '-d', '-F', '-h', '-I', '-i', '-k', '-l', '-M', '-m', '-N', '-n', '-O', '-P', '-p', '-q', '-r', '-S', '-s', '-T', '-t', '-U', '-u', '-V', '-v', '-W', '-w', '-X', '-x', '-Z', '-z'];
const NC_ARG = 'IiMmOPpqsTVWwXx';

export function completeNc(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (shortTakesValue(prev, NC_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 's') return localAddrs(compCtx(ctx));
    if (o === 'X') return ['4', '5', 'connect'];
    if (o === 'T') return ['critical', 'inetcontrol', 'lowcost', 'lowdelay', 'netcontrol', 'throughput', 'reliability'];
    return [];
  }
  if (current.startsWith('-')) return NC_OPTIONS;
  if (positionals(words, (w) => shortTakesValue(w, NC_ARG)).length > 0) return [];
  return destinations(ctx.sys);
}

// ---------------------------------------------------------------- curl

const CURL_OPTIONS = [
  '-s', '--silent', '-S', '--show-error', '-v', '--verbose', '-i', '--include', '-I', '--head', '-o', '--output', '-O', '--remote-name', '-w', '--write-out',
  '-H', '--header', '-X', '--request', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '-f', '--fail', '-m', '--max-time', '--connect-timeout',
  '-A', '--user-agent', '-L', '--location', '-k', '--insecure', '-u', '--user', '-x', '--proxy', '--noproxy', '--resolve', '-4', '--ipv4', '-6', '--ipv6',
  '--http1.0', '--http1.1', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-D', '--dump-header', '-T', '--upload-file', '--retry', '--interface',
  '--compressed', '-#', '--progress-bar', '-h', '--help', '-V', '--version',
];
const CURL_ARG = ['-o', '--output', '-w', '--write-out', '-H', '--header', '-X', '--request', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-u', '--user', '-x', '--proxy', '--noproxy', '--resolve', '-e', '--referer', '-b', '--cookie', '-c', '--cookie-jar', '-D', '--dump-header', '-T', '--upload-file', '--retry', '--interface'];

export function completeCurl(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  if (prev === '-X' || prev === '--request') return ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  if (prev === '--interface') return ifNames(compCtx(ctx));
  if (CURL_ARG.includes(prev)) return [];
  if (current.startsWith('-')) return CURL_OPTIONS;
  const hosts = destinations(ctx.sys);
  return current === '' ? hosts : [...hosts, ...hosts.map((h) => `http://${h}/`)];
}

// ---------------------------------------------------------------- ssh

const SSH_OPTIONS = ['-4', '-6', '-A', '-a', '-C', '-f', '-G', '-g', '-K', '-k', '-M', '-N', '-n', '-q', '-s', '-T', '-t', '-V', '-v', '-X', '-x', '-Y', '-y', '-B', '-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-P', '-p', '-R', '-S', '-W', '-w'];
const SSH_ARG = 'BbcDEeFIiJLlmOoPpRSWw';

export function completeSsh(ctx: CompletionContext): string[] {
  const { words, current } = ctx;
  const prev = words[words.length - 1]!;
  // the world's machines, and /etc/hosts names that lead to one of them
  const hosts = () => [...new Set([...worldHostNames(ctx.sys), ...hostsFileNames(ctx.sys).filter((n) => n !== 'localhost' && !n.startsWith('ip6-') && findHost(ctx.sys, n) !== null)])];
  if (shortTakesValue(prev, SSH_ARG)) {
    const o = prev[prev.length - 1];
    if (o === 'J') return hosts();
    if (o === 'l') return ['root'];
    return [];
  }
  if (current.startsWith('-')) return SSH_OPTIONS;
  if (positionals(words, (w) => shortTakesValue(w, SSH_ARG)).length > 0) return [];
  const at = current.lastIndexOf('@');
  const user = at >= 0 ? current.slice(0, at + 1) : '';
  return hosts().map((h) => user + h);
}
