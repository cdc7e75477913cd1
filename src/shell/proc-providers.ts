// Wires the kernel's dynamic files into the virtual filesystem.
import { registerProc } from './procfs';
import { procSysList, procSysRead, procSysWrite } from '../sim/sysctl';

registerProc('/proc/sys', {
  read: (sys, path) => procSysRead(sys.world, sys.ns, path),
  write: (sys, path, content) => procSysWrite(sys.world, sys.ns, path, content),
  list: (sys, path) => procSysList(sys.world, sys.ns, path),
});
