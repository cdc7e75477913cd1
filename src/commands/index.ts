// The registry of simulated networking commands. Each tool is one module;
// add it to this list.
//
// Every tool's code is a chunk loaded when it is first run or completed (`lazy`, src/commands/lazy-command.ts;
// a slow load shows "loading NAME…", src/sim/chunks.ts), so that a terminal's first use does not wait for them
// (issue 17). The tools lessons type first (ip, ping, ss, iptables, dig, curl...) are `core`: fetched in the
// background as soon as the shell is ready (src/commands/prefetch.ts), so the first `ip a` finds its code there;
// the rarer ones (route, netstat, dnsmasq, man...) only when typed. What the shell needs of a tool before it runs
// (its /proc and /sys files, its setup directives, the names it completes for) stays here.
import type { NetCommand, SetupDirective } from './types';
import { loadChunk } from '../sim/chunks';
import { lazyCommand, type LazyCommand } from './lazy-command';
import { prefetchAfterStart } from './prefetch';
import { procNetFiles } from './procnet';
import { procSysFiles } from './proc-sys-files';
import { sysClassNet } from './ip/sysfs';
import { procVersion } from './platform';
import { crictl, journalctl, kubectl } from './k8s-lazy';

/** a tool whose code is a chunk of its own, loaded (once) when first run or completed */
const lazy = (name: string, load: () => Promise<NetCommand>): LazyCommand => lazyCommand(name, () => loadChunk(name, load));

/** a tool lessons type first: a chunk too, fetched in the background once the shell is ready */
const core = (name: string, load: () => Promise<NetCommand>): LazyCommand => {
  prefetchAfterStart(load);
  return lazy(name, load);
};

/** a lazy tool's setup directive: loads the tool, then runs its directive */
const lazyDirective =
  (tool: LazyCommand, name: string): SetupDirective =>
  async (session, args, rest) => {
    const directive = (await tool.prepare()).setupDirectives?.[name];
    if (!directive) throw new Error(`${tool.name}: no setup directive ${name}`);
    await directive(session, args, rest);
  };

const ssh = core('ssh', async () => (await import('./ssh')).ssh);
const ps = core('ps', async () => (await import('./ps')).ps);
const systemctl = core('systemctl', async () => (await import('./systemctl')).systemctl);
const ls = core('ls', async () => (await import('./ls')).ls);
// /proc/sys is served whether or not sysctl was ever typed (cat /proc/sys/net/ipv4/ip_forward)
const sysctl: NetCommand = { ...core('sysctl', async () => (await import('./sysctl')).sysctl), procFiles: { '/proc/sys': procSysFiles } };
const dig = core('dig', async () => (await import('./dig')).dig);
const nslookup = core('nslookup', async () => (await import('./nslookup')).nslookup);
const host = core('host', async () => (await import('./host')).host);
const hostname = core('hostname', async () => (await import('./hostname')).hostname);
const iptables: NetCommand = { ...core('iptables', async () => (await import('./iptables/run')).iptables), completes: ['iptables-legacy', 'iptables-nft'] };
const ip6tables: NetCommand = { ...core('ip6tables', async () => (await import('./iptables/run')).ip6tables), completes: ['ip6tables-legacy', 'ip6tables-nft'] };
const iptablesSave = core('iptables-save', async () => (await import('./iptables/save')).iptablesSave);
const ip6tablesSave = core('ip6tables-save', async () => (await import('./iptables/save')).ip6tablesSave);
const ping = core('ping', async () => (await import('./ping')).ping);
const ping6 = core('ping6', async () => (await import('./ping')).ping6);
const curlTool = core('curl', async () => (await import('./curl')).curl);
const curl: NetCommand = { ...curlTool, setupDirectives: { httpd: lazyDirective(curlTool, 'httpd') } };
// /sys/class/net is served whether or not ip was ever typed
const ip: NetCommand = { ...core('ip', async () => (await import('./ip/index')).ip), procFiles: { '/sys/class/net': sysClassNet } };
const ss = core('ss', async () => (await import('./ss')).ss);
const whoami = core('whoami', async () => (await import('./identity')).whoami);
const id = core('id', async () => (await import('./identity')).id);
const uname: NetCommand = { ...core('uname', async () => (await import('./identity')).uname), procFiles: { '/proc/version': procVersion } };
const stty = core('stty', async () => (await import('./identity')).stty);

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
