// Wires the kernel's dynamic files into the virtual filesystem.
import { fileTable, registerProc } from './procfs';
import { procNetArp, procNetDev, procNetRoute, procNetTcp, procNetTcp6, procNetUdp, procNetUdp6 } from '../commands/procnet';
import { procSysList, procSysRead, procSysStat, procSysWrite } from '../sim/proc-sys';

registerProc('/proc/sys', {
  read: (sys, path) => procSysRead(sys.world, sys.ns, path),
  write: (sys, path, content) => procSysWrite(sys.world, sys.ns, path, content),
  list: (sys, path) => procSysList(sys.world, sys.ns, path),
  // modes as the kernel's tables give them: read-only keys 0444, route/flush write-only 0200
  stat: (sys, path) => procSysStat(sys.world, sys.ns, path),
});

// /proc/net/*: the namespace's tables as the kernel formats them (src/commands/procnet.ts)
registerProc(
  '/proc/net',
  fileTable({
    '/proc/net/route': (sys) => procNetRoute(sys.world, sys.ns),
    '/proc/net/arp': (sys) => procNetArp(sys.world, sys.ns),
    '/proc/net/tcp': (sys) => procNetTcp(sys.world, sys.ns),
    '/proc/net/tcp6': (sys) => procNetTcp6(sys.world, sys.ns),
    '/proc/net/udp': (sys) => procNetUdp(sys.world, sys.ns),
    '/proc/net/udp6': (sys) => procNetUdp6(sys.world, sys.ns),
    '/proc/net/dev': (sys) => procNetDev(sys.world, sys.ns),
  }),
);
