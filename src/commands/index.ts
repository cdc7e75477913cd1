// The registry of simulated networking commands. Each tool is one module;
// add it to this list.
//
// The tools lessons type first (ip, ping, ss, iptables, dig, curl...) are part of the engine's core; the
// rarer ones are chunks loaded when first typed or completed (`lazy`, src/commands/lazy-command.ts; a slow
// load shows "loading NAME…", src/sim/chunks.ts), so that a terminal's first use does not download them
// (issue 17). What the shell needs of a lazy tool before it runs (its /proc files, its setup directives)
// stays here.
import type { NetCommand, SetupDirective } from './types';
import { loadChunk } from '../sim/chunks';
import { lazyCommand, type LazyCommand } from './lazy-command';
import { procNetFiles } from './procnet';
import { ssh } from './ssh';
import { ls } from './ls';
import { sysctl } from './sysctl';
import { dig } from './dig';
import { nslookup } from './nslookup';
import { host } from './host';
import { hostname } from './hostname';
import { ip6tables, ip6tablesSave, iptables, iptablesSave } from './iptables/index';
import { ps } from './ps';
import { systemctl } from './systemctl';
import { ping, ping6 } from './ping';
import { curl } from './curl';
import { crictl, journalctl, kubectl } from './k8s-lazy';
import { ip } from './ip/index';
import { ss } from './ss';
import { id, stty, uname, whoami } from './identity';

/** a tool whose code is a chunk of its own, loaded (once) when first run or completed */
const lazy = (name: string, load: () => Promise<NetCommand>): LazyCommand => lazyCommand(name, () => loadChunk(name, load));

/** a lazy tool's setup directive: loads the tool, then runs its directive */
const lazyDirective =
  (tool: LazyCommand, name: string): SetupDirective =>
  async (session, args, rest) => {
    const directive = (await tool.prepare()).setupDirectives?.[name];
    if (!directive) throw new Error(`${tool.name}: no setup directive ${name}`);
    await directive(session, args, rest);
  };

const dnsmasqTool = lazy('dnsmasq', async () => (await import('./dnsmasq')).dnsmasq);
const dnsmasq: NetCommand = { ...dnsmasqTool, setupDirectives: { spawn: lazyDirective(dnsmasqTool, 'spawn') } };
const getent = lazy('getent', async () => (await import('./getent')).getent);
const traceroute = lazy('traceroute', async () => (await import('./traceroute')).traceroute);
const nc = lazy('nc', async () => (await import('./nc')).nc);
const wget = lazy('wget', async () => (await import('./wget')).wget);
const bridge = lazy('bridge', async () => (await import('./bridge')).bridge);
// netstat's /proc/net files are served whether or not netstat was ever typed (cat /proc/net/tcp)
const netstat: NetCommand = { ...lazy('netstat', async () => (await import('./net-tools/netstat')).netstat), procFiles: { '/proc/net': procNetFiles } };
const route = lazy('route', async () => (await import('./net-tools/route')).route);
const arp = lazy('arp', async () => (await import('./net-tools/arp')).arp);
const ifconfig = lazy('ifconfig', async () => (await import('./net-tools/ifconfig')).ifconfig);
const man = lazy('man', async () => (await import('./man/index')).man);
const netlab = lazy('netlab', async () => (await import('./netlab/index')).netlab);
const conntrack = lazy('conntrack', async () => (await import('./conntrack')).conntrack);
const iptablesRestore = lazy('iptables-restore', async () => (await import('./iptables/restore')).iptablesRestore);
const ip6tablesRestore = lazy('ip6tables-restore', async () => (await import('./iptables/restore')).ip6tablesRestore);

export const netCommands: NetCommand[] = [ssh, ps, systemctl, kubectl, ls, sysctl, dig, dnsmasq, nslookup, host, getent, hostname, iptables, iptablesSave, iptablesRestore, ip6tables, ip6tablesSave, ip6tablesRestore, ping, ping6, traceroute, nc, curl, wget, crictl, journalctl, ip, bridge, netstat, ss, route, arp, ifconfig, whoami, id, uname, stty, man, conntrack, netlab];
