// ssh: log into another host of the simulated world, or run one command
// there. The labs use it to move between the machines of a topology (A, the
// router, C) from one terminal. Hosts are found by name (the world's host id,
// its hostname, or an /etc/hosts entry) or by any address they own.
import type { NetCommand, Sys } from './types';
import { fail, ok } from './types';
import { completeSsh } from './completion-clients';

const USAGE =
  'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n' +
  '           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n' +
  '           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n' +
  '           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n' +
  '           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n' +
  '           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n' +
  '           destination [command [argument ...]]\n';

/** The host owning `target` (host id, hostname, /etc/hosts name, or an address of one of its namespaces' links). */
export function findHost(sys: Sys, target: string): string | null {
  const { world } = sys;
  const hosts = Object.values(world.state.hosts);
  const byName = hosts.find((h) => h.id.toLowerCase() === target.toLowerCase() || h.hostname.toLowerCase() === target.toLowerCase());
  if (byName) return byName.id;
  let addr = target;
  if (!/^[0-9.]+$/.test(target) && !target.includes(':')) {
    const hostsFile = sys.readFile('/etc/hosts') ?? '';
    for (const line of hostsFile.split('\n')) {
      const words = line.replace(/#.*/, '').trim().split(/\s+/);
      if (words.length > 1 && words.slice(1).includes(target)) {
        addr = words[0]!;
        break;
      }
    }
  }
  for (const h of hosts) {
    const ns = world.state.namespaces[h.rootNs];
    if (ns && ns.addrs.some((a) => a.local === addr)) return h.id;
  }
  return null;
}

export const ssh: NetCommand = {
  name: 'ssh',
  complete: completeSsh,
  async run(args, io, sys) {
    const words = [...args];
    let i = 0;
    for (; i < words.length; i++) {
      const w = words[i]!;
      if (!w.startsWith('-') || w === '-') break;
      if (/^-[BbcDEeFIiJLlmOoPpRSWw]$/.test(w)) i++;
    }
    const dest = words[i];
    if (!dest) return fail(USAGE, 255);
    const hostPart = dest.includes('@') ? dest.slice(dest.lastIndexOf('@') + 1) : dest;
    const host = findHost(sys, hostPart);
    if (!host) return fail(`ssh: Could not resolve hostname ${hostPart}: Name or service not known\n`, 255);
    const command = words.slice(i + 1);
    if (command.length === 0) {
      if (host === sys.host) return ok();
      sys.login(host);
      const h = sys.world.host(host);
      return ok(`Linux ${h.hostname} 6.1.0-netlab #1 SMP Debian 6.1.0 x86_64\n`);
    }
    // like ssh, the words are joined with spaces and the remote shell parses the result
    const line = command.join(' ');
    return sys.onHost(host, () => io.exec(line));
  },
};
