// dnsmasq 2.90 as a DNS server: parses its command line into a
// DnsServerConfig and starts a server process in the current namespace
// (as if it had daemonized). Also owns the corpus's `@spawn COMMAND...`
// setup line: known daemons start through their command, any other program
// becomes a plain process.
import { own } from '../sim/own';
import type { CmdResult, NetCommand, SetupSession } from './types';
import { startCoreDns, startDnsServer } from '../sim/dns';
import { configFromDnsmasq, parseDnsmasqArgs } from './dnsmasq-args';
import { spawnProcess } from '../sim/process';

const VERSION_TEXT =
  'Dnsmasq version 2.90  Copyright (c) 2000-2024 Simon Kelley\n' +
  'Compile time options: IPv6 GNU-getopt DBus no-UBus i18n IDN2 DHCP DHCPv6 no-Lua TFTP conntrack ipset nftset auth cryptohash DNSSEC loop-detect inotify dumpfile\n\n' +
  'This software comes with ABSOLUTELY NO WARRANTY.\n' +
  'Dnsmasq is free software, and you are welcome to redistribute it\n' +
  'under the terms of the GNU General Public License, version 2 or 3.\n';

export const dnsmasq: NetCommand = {
  name: 'dnsmasq',
  setupDirectives: { spawn: spawnDirective },
  async run(args, _io, sys): Promise<CmdResult> {
    const parsed = parseDnsmasqArgs(args);
    if (parsed.version) return { stdout: VERSION_TEXT, stderr: '', exitCode: 0 };
    if (parsed.error) {
      const msg = parsed.error.startsWith('bad command line options') ? parsed.error : `bad command line options: ${parsed.error}`;
      return { stdout: '', stderr: `dnsmasq: ${msg}\n`, exitCode: 1 };
    }
    if (parsed.testOnly) return { stdout: '', stderr: 'dnsmasq: syntax check OK.\n', exitCode: 0 };
    const config = configFromDnsmasq(sys.world, sys.host, sys.ns, parsed);
    const r = startDnsServer(sys.world, sys.host, sys.ns, ['dnsmasq', ...args], config);
    if (r.error) return { stdout: '', stderr: `\ndnsmasq: ${r.error}\n`, exitCode: r.exitCode };
    return { stdout: '', stderr: '', exitCode: 0 };
  },
};

/**
 * `@spawn [ip netns exec NAME]... [setsid|nohup] PROGRAM ARGS...`: a daemon
 * started in the background. dnsmasq and coredns become their servers, any
 * nc runs as the shell's nc would (a listener in the background), any
 * other program a plain process.
 */
async function spawnDirective(session: SetupSession, args: string[], rest: string): Promise<void> {
  // strip `ip netns exec NAME` prefixes to find the program and its namespace
  let words = args;
  let nsId = session.world.host(session.host).rootNs;
  for (;;) {
    if (words[0] === 'ip' && words[1] === 'netns' && words[2] === 'exec' && words[3]) {
      const id = own(session.world.host(session.host).netns, words[3]);
      if (id === undefined) return;
      nsId = id;
      words = words.slice(4);
      continue;
    }
    if (words[0] === 'setsid' || words[0] === 'nohup') {
      words = words.slice(1);
      continue;
    }
    break;
  }
  const prog = (words[0] ?? '').replace(/^.*\//, '');
  if (!prog) return;
  if (prog === 'dnsmasq') {
    const parsed = parseDnsmasqArgs(words.slice(1));
    if (parsed.error || parsed.version || parsed.testOnly) return;
    startDnsServer(session.world, session.host, nsId, words, configFromDnsmasq(session.world, session.host, nsId, parsed));
    return;
  }
  if (prog === 'coredns') {
    startCoreDns(session.world, session.host, nsId, words);
    return;
  }
  if (prog === 'nc') {
    // the shell's nc: without a terminal, `nc -l` stays in the background holding its listener
    await session.run(rest, { noHistory: true });
    return;
  }
  spawnProcess(session.world, session.host, nsId, words);
}
