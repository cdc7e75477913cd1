// Wires the kernel's dynamic files into the virtual filesystem.
import { registerProc } from './procfs';

registerProc('/proc/sys', {
  read: (sys, path) => {
    const key = path.slice('/proc/sys/'.length).split('/').join('.');
    const v = sys.world.ns(sys.ns).sysctl[key];
    return v === undefined ? null : v + '\n';
  },
  write: (sys, path, content) => {
    const key = path.slice('/proc/sys/'.length).split('/').join('.');
    sys.world.ns(sys.ns).sysctl[key] = content.trim();
  },
  list: (sys, path) => {
    const pre = path === '/proc/sys' ? '' : path.slice('/proc/sys/'.length).split('/').join('.') + '.';
    const names = new Set<string>();
    for (const k of Object.keys(sys.world.ns(sys.ns).sysctl)) if (k.startsWith(pre)) names.add(k.slice(pre.length).split('.')[0]!);
    if (names.size === 0) return null;
    // a key is a file, not a directory
    if (Object.prototype.hasOwnProperty.call(sys.world.ns(sys.ns).sysctl, pre.slice(0, -1))) return null;
    return [...names];
  },
});
