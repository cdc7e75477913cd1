// The shell's filesystem: a just-bash IFileSystem over the simulated host's
// files (Host.files, plain data in the world state), with dynamic files from
// the kernel (/proc, /run/netns) and iproute2's /etc/netns/NAME overrides:
// a process started by `ip netns exec NAME` sees /etc/netns/NAME/X as /etc/X.
import type { IFileSystem, FsStat, FileContent } from 'just-bash/browser';
import type { Sys } from '../commands/types';
import type { FileNode, Host } from '../sim/types';
import { isKernelError, STRERROR, type Errno } from '../sim/errors';
import { baseName, listDir, mkdirp, normPath, parentOf } from '../sim/files';
import { procChildren, procProviderFor } from './procfs';
import { deviceAt, deviceNames } from '../sim/devices';

interface DirentEntry { name: string; isFile: boolean; isDirectory: boolean; isSymbolicLink: boolean }

type Code = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EACCES' | 'EINVAL' | 'EPERM';
const TEXT: Record<Code, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file already exists',
  ENOTEMPTY: 'directory not empty',
  EACCES: 'permission denied',
  EINVAL: 'invalid argument',
  EPERM: 'operation not permitted',
};

function fsError(code: Code | Errno, op: string, path: string): Error {
  const text = (TEXT as Record<string, string>)[code] ?? STRERROR[code as Errno].toLowerCase();
  const e = new Error(`${code}: ${text}, ${op} '${path}'`) as Error & { code: string; syscall: string; path: string };
  e.code = code;
  e.syscall = op;
  e.path = path;
  return e;
}

/**
 * Files opened by a redirection of the command that runs now (`echo 1 >
 * /proc/sys/...`): a failed write to one of them is recorded here instead of
 * thrown, and the shell reports it as bash does (`bash: echo: write error:
 * Invalid argument`, status 1). See the session's redirection helper.
 */
export interface RedirectFrame {
  paths: Set<string>;
  /** errno of the first failed write */
  error: string | null;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const toText = (c: FileContent): string => (typeof c === 'string' ? c : decoder.decode(c));

/** Paths served by the kernel rather than stored. */
const DYNAMIC_ROOTS = ['/proc', '/sys', '/run/netns', '/var/run/netns'];
const isDynamic = (p: string) => DYNAMIC_ROOTS.some((r) => p === r || p.startsWith(r + '/'));

export class SimFs implements IFileSystem {
  /** redirections being written, innermost last */
  readonly redirects: RedirectFrame[] = [];
  /** the errno of the last failed write to each path (tools that report every failure alike are corrected from it) */
  readonly writeErrors = new Map<string, string>();

  constructor(
    private readonly getSys: () => Sys,
    /** is NAME a command the shell can run? Such commands appear as /bin/NAME and /usr/bin/NAME (just-bash resolves commands through PATH). */
    private readonly isCommand: (name: string) => boolean = () => false,
    private readonly commandList: () => string[] = () => [],
  ) {}

  private host(): Host {
    const sys = this.getSys();
    return sys.world.host(sys.host);
  }

  private now(): number {
    return this.getSys().world.now();
  }

  /** Where a path really lives, after /etc/netns/NAME overrides for the current namespace. */
  private effective(path: string): string {
    const p = normPath(path);
    if (p.startsWith('/etc/') && !p.startsWith('/etc/netns/')) {
      const sys = this.getSys();
      const ns = sys.world.state.namespaces[sys.ns];
      if (ns && ns.name) {
        const rel = p.slice('/etc/'.length);
        const alt = `/etc/netns/${ns.name}/${rel}`;
        const top = `/etc/netns/${ns.name}/${rel.split('/')[0]}`;
        if (this.host().files[top]) return alt;
      }
    }
    return p;
  }

  private dynamicRead(p: string): string | null {
    if (p.startsWith('/run/netns/') || p.startsWith('/var/run/netns/')) {
      const name = baseName(p);
      return this.namedNetns().includes(name) ? '' : null;
    }
    const prov = procProviderFor(p);
    if (!prov) return null;
    try {
      return prov.read(this.getSys(), p);
    } catch {
      return null;
    }
  }

  /** Type and mode of a kernel file: the provider's stat() when it has one, else what read() and list() answer. */
  private dynamicStat(p: string): { type: 'file' | 'dir'; mode: number } | null {
    const prov = procProviderFor(p);
    if (prov?.stat) {
      try {
        const st = prov.stat(this.getSys(), p);
        if (st) return st;
      } catch {
        return null;
      }
    }
    if (this.dynamicList(p) !== null) return { type: 'dir', mode: 0o555 };
    if (this.dynamicRead(p) !== null) return { type: 'file', mode: p.startsWith('/proc/sys/') ? 0o644 : 0o444 };
    return null;
  }

  private dynamicList(p: string): string[] | null {
    if (p === '/run/netns' || p === '/var/run/netns') return this.namedNetns();
    const prov = procProviderFor(p);
    const own = prov ? prov.list(this.getSys(), p) : null;
    const kids = procChildren(p);
    if (own === null && kids.length === 0) return p === '/proc' || p === '/sys' ? [] : null;
    return [...new Set([...(own ?? []), ...kids])].sort();
  }

  private namedNetns(): string[] {
    return Object.keys(this.host().netns).sort();
  }

  private node(path: string): FileNode | null {
    const p = this.effective(path);
    if (p === '/') return { type: 'dir', mode: 0o755, mtime: 0 };
    if ((p.startsWith('/bin/') || p.startsWith('/usr/bin/')) && !this.host().files[p]) {
      const name = p.slice(p.lastIndexOf('/') + 1);
      if (p.lastIndexOf('/') === p.indexOf('/', 1) && this.isCommand(name)) return { type: 'file', content: `#!/bin/sh\n# ${name}: built in\n`, mode: 0o755, mtime: 0 };
      if (p.startsWith('/usr/bin/') && p.split('/').length === 4 && this.isCommand(name)) return { type: 'file', content: `#!/bin/sh\n# ${name}: built in\n`, mode: 0o755, mtime: 0 };
    }
    const dev = deviceAt(p);
    if (dev) return { type: 'file', content: dev.read(), mode: dev.mode, mtime: 0 };
    if (isDynamic(p)) {
      const st = this.dynamicStat(p);
      if (!st) return null;
      if (st.type === 'dir') return { type: 'dir', mode: st.mode, mtime: 0 };
      return { type: 'file', content: this.dynamicRead(p) ?? '', mode: st.mode, mtime: this.now() };
    }
    return this.host().files[p] ?? null;
  }

  private follow(path: string, op: string, depth = 0): { path: string; node: FileNode } {
    const p = normPath(path);
    const n = this.node(p);
    if (!n) throw fsError('ENOENT', op, path);
    if (n.type === 'symlink') {
      if (depth > 20) throw fsError('EINVAL', op, path);
      const target = n.target!.startsWith('/') ? n.target! : normPath(parentOf(p) + '/' + n.target);
      return this.follow(target, op, depth + 1);
    }
    return { path: p, node: n };
  }

  async readFile(path: string): Promise<string> {
    const { node, path: p } = this.follow(path, 'open');
    if (node.type === 'dir') throw fsError('EISDIR', 'read', path);
    const eff = this.effective(p);
    if (isDynamic(eff)) {
      // procfs checks the mode even for root (route/flush is write-only), and a read can fail (stable_secret: EIO)
      if ((node.mode & 0o444) === 0) throw fsError('EACCES', 'open', path);
      const prov = procProviderFor(eff);
      if (prov) {
        try {
          prov.read(this.getSys(), eff);
        } catch (e) {
          if (isKernelError(e)) throw fsError(e.errno, 'read', path);
        }
      }
    }
    return node.content ?? '';
  }

  async readFileBuffer(path: string): Promise<Uint8Array> {
    return encoder.encode(await this.readFile(path));
  }

  async writeFile(path: string, content: FileContent): Promise<void> {
    this.write(path, toText(content), false);
  }

  async appendFile(path: string, content: FileContent): Promise<void> {
    this.write(path, toText(content), true);
  }

  private write(path: string, text: string, append: boolean): void {
    try {
      this.writeOrThrow(path, text, append);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const p = normPath(path);
      if (typeof code === 'string') this.writeErrors.set(p, code);
      const frame = [...this.redirects].reverse().find((f) => f.paths.has(p));
      if (!frame || typeof code !== 'string') throw e;
      frame.error ??= code;
    }
  }

  /**
   * Why opening `path` for writing would fail (an errno such as 'ENOENT',
   * 'EACCES', 'EISDIR'), or null if it would open. Nothing is written.
   */
  openError(path: string): string | null {
    let p = this.effective(path);
    if (deviceAt(p)) return null;
    const existing = this.host().files[p];
    if (existing?.type === 'symlink') {
      try {
        p = this.follow(p, 'open').path;
      } catch (e) {
        return (e as { code?: string }).code ?? 'ENOENT';
      }
    }
    if (isDynamic(p)) {
      const prov = procProviderFor(p);
      const st = this.dynamicStat(p);
      if (!st) return 'ENOENT';
      if (st.type === 'dir') return 'EISDIR';
      if (!prov?.write) return 'EACCES';
      try {
        // open(O_TRUNC) of a kernel file writes nothing: the provider checks the file and changes nothing
        prov.write(this.getSys(), p, '');
      } catch (e) {
        return isKernelError(e) ? e.errno : 'EACCES';
      }
      return null;
    }
    const host = this.host();
    const dir = parentOf(p);
    const parent = dir === '/' ? { type: 'dir' } : host.files[dir];
    if (!parent) return 'ENOENT';
    if (parent.type !== 'dir') return 'ENOTDIR';
    if (host.files[p]?.type === 'dir') return 'EISDIR';
    return null;
  }

  private writeOrThrow(path: string, text: string, append: boolean): void {
    let p = this.effective(path);
    const existing = this.host().files[p];
    if (existing?.type === 'symlink') p = this.follow(p, 'open').path;
    if (deviceAt(p)) return; // /dev/null, /dev/zero: written data is discarded
    if (isDynamic(p)) {
      const prov = procProviderFor(p);
      const st = this.dynamicStat(p);
      if (!st || st.type === 'dir' || !prov?.write) throw fsError(!st ? 'ENOENT' : st.type === 'dir' ? 'EISDIR' : 'EACCES', 'open', path);
      try {
        prov.write(this.getSys(), p, text);
      } catch (e) {
        if (isKernelError(e)) throw fsError(e.errno, 'write', path);
        throw e;
      }
      return;
    }
    const host = this.host();
    const parent = host.files[parentOf(p)];
    if (parentOf(p) !== '/' && (!parent || parent.type !== 'dir')) throw fsError(parent ? 'ENOTDIR' : 'ENOENT', 'open', path);
    const cur = host.files[p];
    if (cur?.type === 'dir') throw fsError('EISDIR', 'open', path);
    const content = append && cur ? (cur.content ?? '') + text : text;
    host.files[p] = { type: 'file', content, mode: cur?.mode ?? 0o644, mtime: this.now() };
  }

  async exists(path: string): Promise<boolean> {
    try {
      this.follow(path, 'access');
      return true;
    } catch {
      return false;
    }
  }

  private statOf(node: FileNode, p: string): FsStat {
    if (deviceAt(p)) return { isFile: false, isDirectory: false, isSymbolicLink: false, mode: node.mode | 0o020000, size: 0, mtime: new Date(Date.UTC(2026, 0, 1)), identity: p };
    return {
      isFile: node.type === 'file',
      isDirectory: node.type === 'dir',
      isSymbolicLink: node.type === 'symlink',
      mode: node.mode | (node.type === 'dir' ? 0o040000 : node.type === 'symlink' ? 0o120000 : 0o100000),
      size: node.type === 'file' ? encoder.encode(node.content ?? '').length : node.type === 'dir' ? 4096 : (node.target ?? '').length,
      mtime: new Date(Date.UTC(2026, 0, 1) + node.mtime),
      identity: p,
    };
  }

  async stat(path: string): Promise<FsStat> {
    const { node, path: p } = this.follow(path, 'stat');
    return this.statOf(node, p);
  }

  async lstat(path: string): Promise<FsStat> {
    const p = normPath(path);
    const n = this.node(p);
    if (!n) throw fsError('ENOENT', 'lstat', path);
    return this.statOf(n, p);
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    const p = normPath(path);
    const host = this.host();
    if (isDynamic(p)) throw fsError('EPERM', 'mkdir', path);
    const n = this.node(p);
    if (n) {
      if (options?.recursive && n.type === 'dir') return;
      throw fsError('EEXIST', 'mkdir', path);
    }
    if (options?.recursive) {
      mkdirp(host, p, this.now());
      return;
    }
    const parent = this.node(parentOf(p));
    if (!parent) throw fsError('ENOENT', 'mkdir', path);
    if (parent.type !== 'dir') throw fsError('ENOTDIR', 'mkdir', path);
    host.files[p] = { type: 'dir', mode: 0o755, mtime: this.now() };
  }

  async readdir(path: string): Promise<string[]> {
    const { path: p, node } = this.follow(path, 'scandir');
    if (node.type !== 'dir') throw fsError('ENOTDIR', 'scandir', path);
    const eff = this.effective(p);
    if (isDynamic(eff)) return this.dynamicList(eff) ?? [];
    const names = new Set(listDir(this.host(), eff));
    if (eff === '/bin' || eff === '/usr/bin') for (const c of this.commandList()) names.add(c);
    for (const k of procChildren(eff)) names.add(k);
    if (eff === '/run' || eff === '/var/run') names.add('netns');
    if (eff === '/dev') for (const d of deviceNames()) names.add(d);
    return [...names].sort();
  }

  async readdirWithFileTypes(path: string): Promise<DirentEntry[]> {
    const p = normPath(path);
    const names = await this.readdir(p);
    return names.map((name) => {
      const n = this.node(p === '/' ? `/${name}` : `${p}/${name}`);
      return { name, isFile: n?.type === 'file', isDirectory: n?.type === 'dir', isSymbolicLink: n?.type === 'symlink' };
    });
  }

  async rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
    const p = this.effective(path);
    const host = this.host();
    if (isDynamic(p)) {
      if (options?.force) return;
      throw fsError('EPERM', 'rm', path);
    }
    const n = host.files[p];
    if (!n) {
      if (options?.force) return;
      throw fsError('ENOENT', 'rm', path);
    }
    if (n.type === 'dir') {
      const kids = Object.keys(host.files).filter((k) => k.startsWith(p + '/'));
      if (kids.length && !options?.recursive) throw fsError('ENOTEMPTY', 'rm', path);
      for (const k of kids) delete host.files[k];
    }
    delete host.files[p];
  }

  async cp(src: string, dest: string, options?: { recursive?: boolean }): Promise<void> {
    const s = this.follow(src, 'cp');
    const d = normPath(dest);
    if (s.node.type === 'dir') {
      if (!options?.recursive) throw fsError('EISDIR', 'cp', src);
      const host = this.host();
      mkdirp(host, d, this.now());
      const base = this.effective(s.path);
      for (const [k, v] of Object.entries(host.files)) {
        if (k.startsWith(base + '/')) host.files[d + k.slice(base.length)] = { ...v, mtime: this.now() };
      }
      return;
    }
    this.write(d, s.node.content ?? '', false);
  }

  async mv(src: string, dest: string): Promise<void> {
    const s = normPath(this.effective(src));
    const d = normPath(this.effective(dest));
    const host = this.host();
    const n = host.files[s];
    if (!n) throw fsError('ENOENT', 'mv', src);
    if (isDynamic(d)) throw fsError('EPERM', 'mv', dest);
    for (const k of Object.keys(host.files)) {
      if (k === s || k.startsWith(s + '/')) {
        host.files[d + k.slice(s.length)] = host.files[k]!;
        delete host.files[k];
      }
    }
  }

  resolvePath(base: string, path: string): string {
    return normPath(path.startsWith('/') ? path : `${base}/${path}`);
  }

  getAllPaths(): string[] {
    return Object.keys(this.host().files);
  }

  async chmod(path: string, mode: number): Promise<void> {
    const { path: p } = this.follow(path, 'chmod');
    const n = this.host().files[this.effective(p)];
    if (n) n.mode = mode & 0o7777;
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    const p = normPath(linkPath);
    if (this.node(p)) throw fsError('EEXIST', 'symlink', linkPath);
    this.host().files[p] = { type: 'symlink', target, mode: 0o777, mtime: this.now() };
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    const s = this.follow(existingPath, 'link');
    if (s.node.type === 'dir') throw fsError('EPERM', 'link', existingPath);
    this.write(newPath, s.node.content ?? '', false);
  }

  async readlink(path: string): Promise<string> {
    const n = this.node(path);
    if (!n) throw fsError('ENOENT', 'readlink', path);
    if (n.type !== 'symlink') throw fsError('EINVAL', 'readlink', path);
    return n.target!;
  }

  async realpath(path: string): Promise<string> {
    return this.follow(path, 'realpath').path;
  }

  async utimes(path: string): Promise<void> {
    const { path: p } = this.follow(path, 'utime');
    const n = this.host().files[p];
    if (n) n.mtime = this.now();
  }
}
