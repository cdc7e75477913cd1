// The kernel's late-bound hooks, wired in one place. A lower module that must
// call a higher one (the neighbour table asks the packet engine who answers a
// probe; the process table's `conn:` and the resolver send through it; server
// processes answer through their service) takes a hook instead of importing
// it, which would close an import cycle. bootKernel() sets them all; every
// World calls it when it is made, so the kernel works the same whichever
// modules a program imports.
import { isTentative, onAddrconfUp, setDadProbe } from './addr';
import { KernelError } from './errors';
import { httpService } from './http';
import { l2Announce, l2Neighbours } from './l2';
import { mayHoldV6 } from './l2-dir';
import { setNeighResponder } from './neighbour';
import { dnsAnswer, Engine, engineDnsTransport, registerTcpCloseHook, registerTcpService, registerUdpService, tcpConnect } from './packet';
import { killProcess, setRemoteConnect, type RemoteConnect } from './process';
import { setDnsTransport } from './resolver';

/** `@daemon ... conn:SRC:SPORT-DST:DPORT` towards another namespace or host: the SYN goes through the packet engine. */
const remoteConnect: RemoteConnect = (world, nsId, pid, src, sport, dst, dport) => {
  const r = tcpConnect(world, nsId, pid, dst, dport, 7000, { src, sport });
  if (r.kind === 'connected') return;
  if (r.kind === 'refused') throw new KernelError('ECONNREFUSED');
  if (r.kind === 'unreachable') throw new KernelError(r.type === 3 && r.code === 0 ? 'ENETUNREACH' : 'EHOSTUNREACH');
  if (r.kind === 'error') throw new KernelError(r.errno);
  throw new KernelError('ETIMEDOUT');
};

let booted = false;

/** Wire the hooks (idempotent). */
export function bootKernel(): void {
  if (booted) return;
  booted = true;
  // links coming up announce their MAC (IPv6 DAD/MLD frames): bridges learn it
  onAddrconfUp((world, ns, link) => l2Announce(world, ns, link));
  // the neighbour subsystem's PROBE state asks the topology who answers
  setNeighResponder((world, nsId, ifindex, dst, at) => new Engine(world).probe(nsId, ifindex, dst, at));
  // duplicate address detection: a holder of the address on the link answers the solicitation (an address no
  // namespace holds has no holder to answer: the walk over the link's every port is not needed)
  setDadProbe((world, ns, link, addr) => mayHoldV6(world, addr) && l2Neighbours(world, ns, link).some((o) => o.link.adminUp && o.ns.addrs.some((a) => a.family === 6 && a.ifindex === o.link.ifindex && a.local === addr && !isTentative(world, a))));
  // the resolver's queries are datagrams through the engine
  setDnsTransport(engineDnsTransport);
  // what server processes answer
  registerUdpService('dns', (world, nsId, proc, _sock, req) => dnsAnswer(world, nsId, proc, req.dst, req.data));
  registerTcpService('dns', (world, nsId, proc, _sock, req) => dnsAnswer(world, nsId, proc, req.dst, req.data));
  registerTcpService('http', httpService);
  // `nc -l`: prints what it reads and answers nothing; when the peer closes, it closes too and, without -k, exits
  registerTcpService('app:nc', () => null);
  registerTcpCloseHook('app:nc', (world, nsId, proc) => {
    if (proc.role?.kind === 'app' && proc.role.data.keep) return;
    const host = world.ns(nsId).host;
    if (world.host(host).processes.some((p) => p.pid === proc.pid)) killProcess(world, host, proc.pid);
  });
  setRemoteConnect(remoteConnect);
}
