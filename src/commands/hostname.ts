// Debian's hostname 3.23: print or set the host's name (its UTS namespace,
// not /etc/hostname), -s -f -d -i -I -A.
import { table } from '../sim/own';
import type { CmdResult, CompletionContext, NetCommand, Sys } from './types';
import { getaddrinfo, resolverCtx, reverseLookup } from '../sim/resolver';
import { canonV6 } from '../sim/dns';

const USAGE =
  'Usage: hostname [-b] {hostname|-F file}         set host name (from file)\n' +
  '       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name\n' +
  '       hostname                                 display host name\n' +
  '\n' +
  '       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)\n' +
  '       {yp,nis,}domainname                      display NIS domain name\n' +
  '\n' +
  '       dnsdomainname                            display dns domain name\n' +
  '\n' +
  '       hostname -V|--version|-h|--help          print info and exit\n' +
  '\n' +
  'Program name:\n' +
  '       {yp,nis,}domainname=hostname -y\n' +
  '       dnsdomainname=hostname -d\n' +
  '\n' +
  'Program options:\n' +
  '    -a, --alias            alias names\n' +
  '    -A, --all-fqdns        all long host names (FQDNs)\n' +
  '    -b, --boot             set default hostname if none available\n' +
  '    -d, --domain           DNS domain name\n' +
  '    -f, --fqdn, --long     long host name (FQDN)\n' +
  '    -F, --file             read host name or NIS domain name from given file\n' +
  '    -i, --ip-address       addresses for the host name\n' +
  '    -I, --all-ip-addresses all addresses for the host\n' +
  '    -s, --short            short host name\n' +
  '    -y, --yp, --nis        NIS/YP domain name\n' +
  '\n' +
  'Description:\n' +
  '   This command can get or set the host name or the NIS domain name. You can\n' +
  '   also get the DNS domain or the FQDN (fully qualified domain name).\n' +
  '   Unless you are using bind or NIS for host lookups you can change the\n' +
  '   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is\n' +
  '   part of the FQDN) in the /etc/hosts file.\n';

const LONG: Record<string, string> = table({
  alias: 'a',
  'all-fqdns': 'A',
  boot: 'b',
  domain: 'd',
  fqdn: 'f',
  long: 'f',
  file: 'F',
  'ip-address': 'i',
  'all-ip-addresses': 'I',
  short: 's',
  yp: 'y',
  nis: 'y',
  version: 'V',
  help: 'h',
});

/** Every address of the host's interfaces that -I prints: IPv4 by interface, then IPv6 that is neither loopback nor link-local. */
function allAddresses(sys: Sys): string[] {
  const ns = sys.world.ns(sys.ns);
  const up = (ifindex: number) => ns.links.find((l) => l.ifindex === ifindex)?.adminUp === true;
  const isLo = (ifindex: number) => ns.links.find((l) => l.ifindex === ifindex)?.kind === 'loopback';
  const byIf = [...ns.addrs].sort((a, b) => a.ifindex - b.ifindex || a.seq - b.seq);
  const v4 = byIf.filter((a) => a.family === 4 && up(a.ifindex) && !isLo(a.ifindex) && !a.local.startsWith('127.')).map((a) => a.local);
  const v6 = byIf.filter((a) => a.family === 6 && up(a.ifindex) && !isLo(a.ifindex) && a.scope !== 'link' && a.local !== '::1').map((a) => canonV6(a.local));
  return [...v4, ...v6];
}

function validHostname(name: string): boolean {
  return name.length > 0 && name.length <= 64 && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name) && !name.includes('..');
}

/** Tab completion: its options. */
export function completeHostname(ctx: CompletionContext): string[] {
  return ctx.current.startsWith('--') ? ['--alias', '--all-fqdns', '--boot', '--domain', '--fqdn', '--file', '--ip-address', '--all-ip-addresses', '--short', '--long', '--version', '--help'] : ['-a', '-A', '-b', '-d', '-f', '-F', '-i', '-I', '-s', '-y', '-V', '-h'];
}

export const hostname: NetCommand = {
  name: 'hostname',
  complete: completeHostname,
  async run(args, _io, sys): Promise<CmdResult> {
    const host = sys.world.host(sys.host);
    let mode: string | null = null;
    let file: string | null = null;
    const operands: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith('--')) {
        const name = a.slice(2).split('=')[0]!;
        const full = Object.keys(LONG).filter((k) => k.startsWith(name));
        const c = LONG[name] ?? (full.length === 1 ? LONG[full[0]!] : undefined);
        if (!c) return { stdout: '', stderr: `hostname: unrecognized option '${a}'\n` + USAGE, exitCode: 1 };
        if (c === 'F') file = a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[++i] ?? null);
        else mode = c;
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const c = a[j]!;
          if (!'aAbdfFiIsyVhv'.includes(c)) return { stdout: '', stderr: `hostname: invalid option -- '${c}'\n` + USAGE, exitCode: 1 };
          if (c === 'F') {
            file = j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? null);
            break;
          }
          if (c === 'v') continue;
          mode = c;
        }
        continue;
      }
      operands.push(a);
    }
    if (mode === 'V') return { stdout: '', stderr: 'hostname 3.23+nmu1\n', exitCode: 0 };
    if (mode === 'h') return { stdout: '', stderr: USAGE, exitCode: 0 };
    let newName: string | null = operands[0] ?? null;
    if (file !== null) {
      const text = sys.readFile(file);
      if (text === null) return { stdout: '', stderr: `hostname: ${file}: No such file or directory\n`, exitCode: 1 };
      newName = text.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#')) ?? '';
    }
    if (newName !== null && (mode === null || mode === 'b')) {
      if (!validHostname(newName)) return { stdout: '', stderr: 'hostname: the specified hostname is invalid\n', exitCode: 1 };
      // a container has no CAP_SYS_ADMIN: sethostname(2) fails with EPERM, which hostname 3.23 words so
      if (sys.uts !== undefined) return { stdout: '', stderr: 'hostname: you must be root to change the host name\n', exitCode: 1 };
      sys.world.setHostname(host.id, newName);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    const name = sys.uts ?? host.hostname;
    const fqdn = (): { ok: true; name: string; addrs: string[] } | { ok: false; msg: string } => {
      const r = getaddrinfo(resolverCtx(sys), name);
      if (!r.ok) return { ok: false, msg: r.message };
      return { ok: true, name: r.canonname, addrs: r.addrs.map((a) => a.addr) };
    };
    switch (mode) {
      case null:
      case 'b':
        return { stdout: name + '\n', stderr: '', exitCode: 0 };
      case 's':
        return { stdout: name.split('.')[0] + '\n', stderr: '', exitCode: 0 };
      case 'y':
        return { stdout: '', stderr: 'hostname: Local domain name not set\n', exitCode: 1 };
      case 'I':
        return { stdout: allAddresses(sys).map((a) => a + ' ').join('') + '\n', stderr: '', exitCode: 0 };
      case 'A': {
        const out: string[] = [];
        for (const a of allAddresses(sys)) {
          const n = reverseLookup(resolverCtx(sys), a);
          if (n !== null && !out.includes(n)) out.push(n);
        }
        return { stdout: out.map((a) => a + ' ').join('') + '\n', stderr: '', exitCode: 0 };
      }
      default: {
        const f = fqdn();
        if (!f.ok) return { stdout: '', stderr: `hostname: ${f.msg}\n`, exitCode: 1 };
        if (mode === 'f') return { stdout: f.name + '\n', stderr: '', exitCode: 0 };
        if (mode === 'd') {
          // hostname 3.23 prints the domain only when the FQDN has one (no empty line)
          const dot = f.name.indexOf('.');
          return { stdout: dot >= 0 ? f.name.slice(dot + 1) + '\n' : '', stderr: '', exitCode: 0 };
        }
        if (mode === 'i') {
          const uniq = [...new Set(f.addrs)];
          return { stdout: uniq.map((a) => a + ' ').join('') + '\n', stderr: '', exitCode: 0 };
        }
        if (mode === 'a') return { stdout: '\n', stderr: '', exitCode: 0 };
        return { stdout: name + '\n', stderr: '', exitCode: 0 };
      }
    }
  },
};
