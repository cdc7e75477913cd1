// Test fixture (not a test): the fidelity corpus's scenario 13 world built
// from kernel calls - bridge v-net-0 192.168.15.1, namespaces dns (.10,
// dnsmasq), web (.20) and red (.2) - and a hand-made Sys to run commands.
import { World } from '../sim/world';
import { readHostFile, seedHostFiles, writeHostFile } from '../sim/files';
import { linkAdd, linkSetMaster, linkSetNetns, linkSetUp, findLink } from '../sim/netdev';
import { addAddress } from '../sim/addr';
import { netnsAdd } from '../sim/netns';
import { startDnsServer } from '../sim/dns';
import { configFromDnsmasq, parseDnsmasqArgs } from './dnsmasq-args';
import type { CmdIO, NetCommand, Sys } from './types';
import type { NsId } from '../sim/types';

export const DNSMASQ_ARGS =
  '--keep-in-foreground --conf-file=/dev/null --no-hosts --no-resolv --bind-interfaces --listen-address=192.168.15.10 --user=nobody --group=nogroup --log-facility=- --local=/example.test/ --local-ttl=300 --host-record=web.example.test,192.168.15.20 --host-record=example.test,192.168.15.30 --host-record=mail.example.test,192.168.15.25 --host-record=ipv6.example.test,fd00:15::40 --cname=www.example.test,web.example.test --cname=flowers.example.test,example.test --mx-host=example.test,mail.example.test,10'.split(' ').concat(['--txt-record=example.test,v=spf1 mx -all']);

export function dnsWorld(): { world: World; host: string; nsOf(name: string): NsId } {
  const world = World.create({ seed: 7 });
  const h = world.addHost('controlplane');
  seedHostFiles(h);
  const root = h.rootNs;
  const lo = (ns: NsId) => linkSetUp(world, ns, 1, true);
  lo(root);
  const br = linkAdd(world, root, { kind: 'bridge', name: 'v-net-0' });
  linkSetUp(world, root, br.ifindex, true);
  addAddress(world, root, br.ifindex, { local: '192.168.15.1', prefixlen: 24 });
  const nss: Record<string, NsId> = {};
  for (const [name, addr] of [['dns', '192.168.15.10'], ['web', '192.168.15.20'], ['red', '192.168.15.2']] as const) {
    const ns = netnsAdd(world, 'controlplane', name).id;
    nss[name] = ns;
    const v = linkAdd(world, root, { kind: 'veth', name: `veth-${name}`, peerName: `veth-${name}-br` });
    linkSetNetns(world, root, v.ifindex, ns);
    const brPort = findLink(world.ns(root), `veth-${name}-br`)!;
    linkSetMaster(world, root, brPort.ifindex, br.ifindex);
    linkSetUp(world, root, brPort.ifindex, true);
    lo(ns);
    const inner = findLink(world.ns(ns), `veth-${name}`)!;
    addAddress(world, ns, inner.ifindex, { local: addr, prefixlen: 24 });
    linkSetUp(world, ns, inner.ifindex, true);
  }
  const parsed = parseDnsmasqArgs(DNSMASQ_ARGS);
  startDnsServer(world, 'controlplane', nss.dns!, ['dnsmasq', ...DNSMASQ_ARGS], configFromDnsmasq(world, 'controlplane', nss.dns!, parsed));
  writeHostFile(h, '/etc/resolv.conf', 'nameserver 192.168.15.10\n');
  return { world, host: 'controlplane', nsOf: (n) => nss[n] ?? root };
}

export function makeSys(world: World, host: string, ns?: NsId): Sys {
  const h = world.host(host);
  const nsId = ns ?? h.rootNs;
  return {
    world,
    host,
    ns: nsId,
    tty: true,
    columns: 80,
    withNs: (_ns, fn) => fn(),
    readFile: (p: string) => {
      const n = world.state.namespaces[nsId];
      if (n?.name && p.startsWith('/etc/')) {
        const alt = readHostFile(h, `/etc/netns/${n.name}/${p.slice(5)}`);
        if (alt !== null) return alt;
      }
      return readHostFile(h, p);
    },
    writeFile: (p: string, c: string) => writeHostFile(h, p, c),
  } as Sys;
}

/** Run a command like the shell would (words split on spaces; quote-free lines only). Returns stdout+stderr and the exit code. */
export async function runCmd(cmd: NetCommand, sys: Sys, line: string, stdin = ''): Promise<{ out: string; stdout: string; stderr: string; code: number }> {
  const io: CmdIO = { stdin, cwd: '/root', env: {}, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
  const r = await cmd.run(line.trim() === '' ? [] : line.trim().split(/\s+/), io, sys);
  return { out: r.stdout + r.stderr, stdout: r.stdout, stderr: r.stderr, code: r.exitCode };
}
