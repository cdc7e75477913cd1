// glibc 2.36 getent: hosts, ahosts/ahostsv4/ahostsv6 (nsswitch: files then
// dns), networks, services, protocols, and the plain files databases.
import type { CmdResult, NetCommand, Sys } from './types';
import { ordered } from './types';
import { etcProtocols, etcServices } from '../sim/etc-defaults';
import { gethostbyname2, getaddrinfo, parseHostsFile, reverseLookup, resolverCtx, inetAton } from '../sim/resolver';
import type { HostEnt } from '../sim/resolver';
import { canonV6, isV4, isV6 } from '../sim/dns';
import { completeGetent } from './dns-completion';

const SEE = "Try `getent --help' or `getent --usage' for more information.\n";

const DATABASES = ['ahosts', 'ahostsv4', 'ahostsv6', 'aliases', 'ethers', 'group', 'gshadow', 'hosts', 'initgroups', 'netgroup', 'networks', 'passwd', 'protocols', 'rpc', 'services', 'shadow'];

const HELP =
  'Usage: getent [OPTION...] database [key ...]\n' +
  'Get entries from administrative database.\n' +
  '\n' +
  '  -i, --no-idn               disable IDN encoding\n' +
  '  -s, --service=CONFIG       Service configuration to be used\n' +
  '  -?, --help                 Give this help list\n' +
  '      --usage                Give a short usage message\n' +
  '  -V, --version              Print program version\n' +
  '\n' +
  'Mandatory or optional arguments to long options are also mandatory or optional\n' +
  'for any corresponding short options.\n' +
  '\n' +
  'Supported databases:\n' +
  'ahosts ahostsv4 ahostsv6 aliases ethers group gshadow hosts initgroups\n' +
  'netgroup networks passwd protocols rpc services shadow\n' +
  '\n' +
  'For bug reporting instructions, please see:\n' +
  '<http://www.debian.org/Bugs/>.\n';

function hostLines(h: HostEnt): string {
  let out = '';
  for (const a of h.addrs) out += `${a.padEnd(15)} ${h.name}${h.aliases.map((x) => ' ' + x).join('')}\n`;
  return out;
}

function hostsDb(sys: Sys, keys: string[]): { out: string; code: number } {
  const ctx = resolverCtx(sys);
  if (keys.length === 0) return { out: hostsEnumeration(sys), code: 0 };
  let out = '';
  let code = 0;
  for (const key of keys) {
    if (isV6(key) || isV4(key)) {
      const addr = isV6(key) ? canonV6(key) : key;
      const name = reverseLookup(ctx, addr);
      if (name === null) code = 2;
      else {
        const e = parseHostsFile(sys.readFile('/etc/hosts')).find((x) => x.addr === addr);
        out += e ? `${addr.padEnd(15)} ${e.names.join(' ')}\n` : `${addr.padEnd(15)} ${name}\n`;
      }
      continue;
    }
    let r = gethostbyname2(ctx, key, 6);
    if (!r.ok) r = gethostbyname2(ctx, key, 4);
    if (!r.ok) code = 2;
    else out += hostLines(r.ent);
  }
  return { out, code };
}

/**
 * sethostent/gethostent over nss_files (what getent hosts and ahosts* print without keys): entries are
 * AF_INET, so an IPv6 line becomes 127.0.0.1 for ::1, its IPv4 address when v4-mapped, and is skipped otherwise.
 */
function hostsEnumeration(sys: Sys): string {
  let out = '';
  for (const e of parseHostsFile(sys.readFile('/etc/hosts'))) {
    let addr: string | null = e.addr;
    if (isV6(e.addr)) {
      const c = canonV6(e.addr);
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(c);
      addr = c === '::1' ? '127.0.0.1' : mapped ? mapped[1]! : null;
    }
    if (addr !== null) out += `${addr.padEnd(15)} ${e.names.join(' ')}\n`;
  }
  return out;
}

/** AI_ADDRCONFIG's test for IPv6: an address other than ::1. */
function hasOwnV6(sys: Sys): boolean {
  return sys.world.ns(sys.ns).addrs.some((a) => a.family === 6 && a.local !== '::1');
}

function ahostsDb(sys: Sys, keys: string[], family: 0 | 4 | 6): { out: string; code: number } {
  const ctx = resolverCtx(sys);
  let out = '';
  let code = 0;
  if (keys.length === 0) return { out: hostsEnumeration(sys), code: 0 };
  for (const key of keys) {
    // AI_ADDRCONFIG | AI_CANONNAME (| AI_V4MAPPED for ahostsv6)
    const r = getaddrinfo(ctx, key, { family: family === 6 ? 0 : family, addrconfig: true });
    if (r.ok && family === 6 && !hasOwnV6(sys)) {
      code = 2;
      continue;
    }
    if (!r.ok) {
      code = 2;
      continue;
    }
    let addrs = r.addrs;
    if (family === 6) {
      // AI_V4MAPPED: IPv4 answers only when there is no IPv6 one, as ::ffff:a.b.c.d
      const v6 = addrs.filter((a) => a.family === 6);
      addrs = v6.length ? v6 : addrs.map((a) => ({ family: 6 as const, addr: '::ffff:' + a.addr }));
    }
    let first = true;
    for (const a of addrs) {
      for (const sock of ['STREAM', 'DGRAM', 'RAW']) {
        out += `${a.addr.padEnd(15)} ${sock.padEnd(6)} ${first ? r.canonname : ''}\n`;
        first = false;
      }
    }
  }
  return { out, code };
}

interface NamedEntry {
  name: string;
  value: string;
  aliases: string[];
}

function parseTable(text: string): NamedEntry[] {
  const out: NamedEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, value, ...aliases] = line.split(/\s+/);
    if (name && value) out.push({ name, value, aliases });
  }
  return out;
}

function tableDb(entries: NamedEntry[], keys: string[], format: (e: NamedEntry) => string, match: (e: NamedEntry, key: string) => boolean): { out: string; code: number } {
  if (keys.length === 0) return { out: entries.map(format).join(''), code: 0 };
  let out = '';
  let code = 0;
  for (const k of keys) {
    const e = entries.find((x) => match(x, k));
    if (e) out += format(e);
    else code = 2;
  }
  return { out, code };
}

/** inet_ntoa(inet_makeaddr(inet_network(v), 0)): how getent prints a network number. */
function networkNumber(v: string): string {
  const parts = v.split('.');
  if (parts.length > 4 || parts.some((p) => !/^(0x[0-9a-f]+|\d+)$/i.test(p))) return v;
  let net = 0;
  for (const p of parts) net = net * 256 + (Number(p) & 255);
  let a: number;
  if (net < 128) a = net * 2 ** 24;
  else if (net < 65536) a = net * 2 ** 16;
  else if (net < 16777216) a = net * 2 ** 8;
  else a = net;
  return [Math.floor(a / 2 ** 24) & 255, Math.floor(a / 2 ** 16) & 255, Math.floor(a / 256) & 255, a & 255].join('.');
}

function passwdLike(sys: Sys, file: string, keys: string[], byNumber: number | null): { out: string; code: number } {
  const text = sys.readFile(file) ?? '';
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  if (keys.length === 0) return { out: lines.map((l) => l + '\n').join(''), code: 0 };
  let out = '';
  let code = 0;
  for (const k of keys) {
    const l = lines.find((x) => {
      const f = x.split(':');
      return f[0] === k || (byNumber !== null && /^\d+$/.test(k) && f[byNumber] === k);
    });
    if (l) out += l + '\n';
    else code = 2;
  }
  return { out, code };
}

export const getent: NetCommand = {
  name: 'getent',
  complete: completeGetent,
  async run(args, _io, sys): Promise<CmdResult> {
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--help' || a === '-?') return { stdout: HELP, stderr: '', exitCode: 0 };
      if (a === '--usage') return { stdout: 'Usage: getent [-i?V] [-s CONFIG] [--no-idn] [--service=CONFIG] [--help]\n            [--usage] [--version] database [key ...]\n', stderr: '', exitCode: 0 };
      if (a === '-V' || a === '--version') return { stdout: 'getent (Debian GLIBC 2.36-9+deb12u13) 2.36\nCopyright (C) 2022 Free Software Foundation, Inc.\nThis is free software; see the source for copying conditions.  There is NO\nwarranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\nWritten by Thorsten Kukuk.\n', stderr: '', exitCode: 0 };
      if (a === '-i' || a === '--no-idn') continue;
      if (a === '-s' || a.startsWith('--service')) {
        if (a === '-s' || a === '--service') i++;
        continue;
      }
      if (a.startsWith('-s')) continue;
      if (a.startsWith('-') && a !== '-' && rest.length === 0) {
        return ordered([[2, `getent: invalid option -- '${a.slice(1, 2)}'\n`], [1, SEE]], 64);
      }
      rest.push(a);
    }
    if (rest.length < 1) return ordered([[2, 'getent: wrong number of arguments\n'], [1, SEE]], 1);
    const [db, ...keys] = rest as [string, ...string[]];
    let r: { out: string; code: number };
    switch (db) {
      case 'hosts':
        r = hostsDb(sys, keys);
        break;
      case 'ahosts':
        r = ahostsDb(sys, keys, 0);
        break;
      case 'ahostsv4':
        r = ahostsDb(sys, keys, 4);
        break;
      case 'ahostsv6':
        r = ahostsDb(sys, keys, 6);
        break;
      case 'networks':
        r = tableDb(
          parseTable(sys.readFile('/etc/networks') ?? ''),
          keys,
          (e) => `${e.name.padEnd(21)} ${networkNumber(e.value)}${e.aliases.map((x) => ' ' + x).join('')}\n`,
          (e, k) => e.name === k || e.aliases.includes(k) || inetAton(e.value) === inetAton(k),
        );
        break;
      case 'services':
        r = tableDb(
          parseTable(sys.readFile('/etc/services') ?? etcServices),
          keys,
          (e) => `${e.name.padEnd(21)} ${e.value}${e.aliases.map((x) => ' ' + x).join('')}\n`,
          (e, k) => {
            const [kn, kp] = k.split('/');
            const [port, proto] = e.value.split('/');
            return (kn === e.name || e.aliases.includes(kn!) || kn === port) && (kp === undefined || kp === proto);
          },
        );
        break;
      case 'protocols':
        r = tableDb(
          parseTable(sys.readFile('/etc/protocols') ?? etcProtocols),
          keys,
          (e) => `${e.name.padEnd(21)} ${e.value}${e.aliases.map((x) => ' ' + x).join('')}\n`,
          (e, k) => e.name === k || e.aliases.includes(k) || e.value === k,
        );
        break;
      case 'passwd':
        r = passwdLike(sys, '/etc/passwd', keys, 2);
        break;
      case 'group':
        r = passwdLike(sys, '/etc/group', keys, 2);
        break;
      case 'shadow':
      case 'gshadow':
        r = passwdLike(sys, `/etc/${db}`, keys, null);
        break;
      default:
        if (DATABASES.includes(db)) r = keys.length ? { out: '', code: 2 } : { out: '', code: 0 };
        else return ordered([[2, `Unknown database: ${db}\n`], [1, SEE]], 1);
    }
    return { stdout: r.out, stderr: '', exitCode: r.code };
  },
};
