// A host's filesystem as plain data (Host.files: absolute path -> FileNode).
// The shell's virtual filesystem (src/shell/simfs.ts) is a view of this;
// the resolver, checkers and scenario builders use these helpers directly.
import type { FileNode, Host } from './types';
import { KernelError } from './errors';
import { etcProtocols, etcServices } from './etc-defaults';

/** Normalise an absolute path: collapse `//`, `.` and `..`; no trailing slash (except "/"). */
export function normPath(path: string): string {
  // already normal (absolute; no empty, `.` or `..` component; no trailing slash): most paths the kernel sees
  if (path.length > 1 && path.charCodeAt(0) === 47 && !NOT_NORMAL.test(path)) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

const NOT_NORMAL = /\/\.{0,2}(?:\/|$)/;

export function parentOf(path: string): string {
  const p = normPath(path);
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function baseName(path: string): string {
  const p = normPath(path);
  return p.slice(p.lastIndexOf('/') + 1);
}

export function getNode(host: Host, path: string): FileNode | null {
  const p = normPath(path);
  if (p === '/') return { type: 'dir', mode: 0o755, mtime: 0 };
  return host.files[p] ?? null;
}

/** mkdir -p */
export function mkdirp(host: Host, path: string, now = 0): void {
  const p = normPath(path);
  if (p === '/') return;
  const parts = p.split('/').filter(Boolean);
  let cur = '';
  for (const part of parts) {
    cur += '/' + part;
    const n = host.files[cur];
    if (!n) host.files[cur] = { type: 'dir', mode: 0o755, mtime: now };
    else if (n.type !== 'dir') throw new KernelError('ENOTDIR');
  }
}

/** The text of a regular file, or null if there is none (directories give null). */
export function readHostFile(host: Host, path: string): string | null {
  const n = getNode(host, path);
  return n && n.type === 'file' ? (n.content ?? '') : null;
}

/** Write (create or replace) a file, creating parent directories. */
export function writeHostFile(host: Host, path: string, content: string, now = 0, mode = 0o644): void {
  const p = normPath(path);
  mkdirp(host, parentOf(p), now);
  const existing = host.files[p];
  if (existing && existing.type === 'dir') throw new KernelError('EISDIR');
  host.files[p] = { type: 'file', content, mode: existing?.mode ?? mode, mtime: now };
}

/** Remove a file (rm); false when there was none. EISDIR for a directory. */
export function removeHostFile(host: Host, path: string): boolean {
  const p = normPath(path);
  const n = host.files[p];
  if (!n) return false;
  if (n.type === 'dir') throw new KernelError('EISDIR');
  delete host.files[p];
  return true;
}

export function listDir(host: Host, path: string): string[] {
  const p = normPath(path);
  const prefix = p === '/' ? '/' : p + '/';
  const names = new Set<string>();
  for (const k of Object.keys(host.files)) {
    if (k.startsWith(prefix)) {
      const rest = k.slice(prefix.length);
      const name = rest.split('/')[0];
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

/** The files every fresh host starts with, as on the Debian 12 machines the corpus was captured on. */
export function defaultHostFiles(hostname: string): Record<string, string> {
  return {
    '/etc/hostname': `${hostname}\n`,
    '/etc/hosts':
      `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n\n` +
      '# The following lines are desirable for IPv6 capable hosts\n' +
      '::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n',
    '/etc/resolv.conf': 'nameserver 127.0.0.53\noptions edns0 trust-ad\n',
    '/etc/nsswitch.conf':
      '# /etc/nsswitch.conf\n#\n# Example configuration of GNU Name Service Switch functionality.\n\n' +
      'passwd:         files\ngroup:          files\nshadow:         files\ngshadow:        files\n\n' +
      'hosts:          files dns\nnetworks:       files\n\n' +
      'protocols:      db files\nservices:       db files\nethers:         db files\nrpc:            db files\n\nnetgroup:       nis\n',
    '/etc/networks': 'default\t\t0.0.0.0\nloopback\t127.0.0.0\nlink-local\t169.254.0.0\n\n',
    '/etc/sysctl.conf':
      '#\n# /etc/sysctl.conf - Configuration file for setting system variables\n# See /etc/sysctl.d/ for additional system variables.\n# See sysctl.conf (5) for information.\n#\n\n' +
      '# Uncomment the next line to enable packet forwarding for IPv4\n#net.ipv4.ip_forward=1\n\n' +
      '# Uncomment the next line to enable packet forwarding for IPv6\n#  Enabling this option disables Stateless Address Autoconfiguration\n#  based on Router Advertisements for this host\n#net.ipv6.conf.all.forwarding=1\n',
    '/etc/services': etcServices,
    '/etc/protocols': etcProtocols,
    '/root/.bashrc': '# ~/.bashrc: executed by bash(1) for non-login shells.\n',
  };
}

export const DEFAULT_DIRS = ['/bin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/etc', '/etc/netns', '/root', '/tmp', '/var', '/var/log', '/run', '/run/netns', '/opt', '/home', '/dev', '/proc', '/sys'];

/** Seed a fresh host's filesystem. */
export function seedHostFiles(host: Host, now = 0): void {
  for (const d of DEFAULT_DIRS) mkdirp(host, d, now);
  for (const [path, content] of Object.entries(defaultHostFiles(host.hostname))) writeHostFile(host, path, content, now);
}
