// /proc/sys: the kernel's sysctl tree as files, as procps sysctl reads and writes it (modes as the kernel's tables
// give them: read-only keys 0444, route/flush write-only 0200). Served whether or not sysctl was ever typed
// (`cat /proc/sys/net/ipv4/ip_forward`), so it is part of the engine's core while sysctl itself is a chunk.
import type { ProcProvider } from './types';
import { procSysList, procSysRead, procSysStat, procSysWrite } from '../sim/proc-sys';

export const procSysFiles: ProcProvider = {
  read: (sys, path) => procSysRead(sys.world, sys.ns, path),
  write: (sys, path, content) => procSysWrite(sys.world, sys.ns, path, content),
  list: (sys, path) => procSysList(sys.world, sys.ns, path),
  stat: (sys, path) => procSysStat(sys.world, sys.ns, path),
};
