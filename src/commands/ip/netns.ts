// ip netns (ip/ipnetns.c): list, add, delete, exec (and -all exec), identify,
// pids, set, list-id, help.
import { own } from '../../sim/own';
import { KernelError } from '../../sim/errors';
import { netnsAdd, netnsDel, netnsList, nsidOf, nsidSet } from '../../sim/netns';
import { shellQuote } from '../shell-quote';
import { NETNS_USAGE } from './help';
import { die, matches, parseUnsigned, type IpCtx } from './utils';

function usage(ctx: IpCtx): never {
  die(ctx, NETNS_USAGE, 255);
}

function invalidName(name: string): boolean {
  return !name || name.length > 255 || name.includes('/') || name === '.' || name === '..';
}

function list(ctx: IpCtx): number {
  const world = ctx.sys.world;
  const p = ctx.p;
  const h = world.host(ctx.sys.host);
  p.newJsonObj();
  for (const name of netnsList(world, ctx.sys.host)) {
    p.openObject(null);
    p.string('any', 'name', '%s', name);
    const id = nsidOf(world, ctx.ns, h.netns[name]!);
    if (id != null) p.int('any', 'id', ' (id: %d)', id);
    p.string('fp', null, '\n', null);
    p.closeObject();
  }
  p.deleteJsonObj();
  return 0;
}

function listId(ctx: IpCtx): number {
  const world = ctx.sys.world;
  const p = ctx.p;
  const ns = world.ns(ctx.ns);
  const h = world.host(ctx.sys.host);
  p.newJsonObj();
  const entries = Object.entries(ns.nsids).sort((a, b) => a[1] - b[1]);
  for (const [peer, id] of entries) {
    p.openObject(null);
    p.uint('any', 'nsid', 'nsid %u ', id);
    const name = Object.entries(h.netns).find(([, v]) => v === peer)?.[0];
    if (name) p.string('any', 'name', '(iproute2 netns name: %s)', name);
    p.string('fp', null, '\n', null);
    p.closeObject();
  }
  p.deleteJsonObj();
  return 0;
}

/** Quote an argv back into a shell line, so that the words reach the command unchanged. */
export function quoteArgv(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}

async function execIn(ctx: IpCtx, nsName: string, argv: string[]): Promise<{ out: string; err: string; code: number }> {
  const h = ctx.sys.world.host(ctx.sys.host);
  const target = own(h.netns, nsName);
  if (!target) return { out: '', err: `Cannot open network namespace "${nsName}": No such file or directory\n`, code: 255 };
  const r = await ctx.sys.withNs(target, () => ctx.io.exec(quoteArgv(argv)));
  if (r.exitCode === 127 && /^(bash: )?\S+: command not found\n?$/.test(r.stdout + r.stderr)) {
    return { out: '', err: `exec of "${argv[0]}" failed: No such file or directory\n`, code: 1 };
  }
  return { out: r.stdout, err: r.stderr, code: r.exitCode };
}

export async function doNetns(ctx: IpCtx, argv: string[]): Promise<number> {
  const world = ctx.sys.world;
  if (argv.length < 1) return list(ctx);
  const c = argv[0]!;
  if (!ctx.opts.all && argv.length > 1 && invalidName(argv[1]!)) die(ctx, `Invalid netns name "${argv[1]}"\n`, 255);
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return list(ctx);
  if (matches(c, 'list-id')) return listId(ctx);
  if (matches(c, 'help')) usage(ctx);
  if (matches(c, 'add')) {
    const name = argv[1];
    if (!name) die(ctx, 'No netns name specified\n', 1);
    try {
      netnsAdd(world, ctx.sys.host, name);
    } catch (e) {
      if (e instanceof KernelError) die(ctx, `Cannot create namespace file "/run/netns/${name}": File exists\n`, 1);
      throw e;
    }
    return 0;
  }
  if (matches(c, 'set')) {
    const name = argv[1];
    if (!name) die(ctx, 'No netns name specified\n', 1);
    const idArg = argv[2];
    if (idArg == null) die(ctx, 'No nsid specified\n', 1);
    let id: number | null;
    if (idArg === 'auto') id = null;
    else {
      const n = parseUnsigned(idArg, 0, 0x7fffffff);
      if (n == null) die(ctx, `Invalid "netnsid" value\n`, 255);
      id = n;
    }
    const target = own(world.host(ctx.sys.host).netns, name);
    if (!target) die(ctx, `Cannot open network namespace "${name}": No such file or directory\n`, 1);
    try {
      nsidSet(world, ctx.ns, target, id);
    } catch (e) {
      if (e instanceof KernelError) die(ctx, 'RTNETLINK answers: File exists\n', 2);
      throw e;
    }
    return 0;
  }
  if (matches(c, 'delete')) {
    if (ctx.opts.all) {
      for (const name of netnsList(world, ctx.sys.host)) netnsDel(world, ctx.sys.host, name);
      return 0;
    }
    const name = argv[1];
    if (!name) die(ctx, 'No netns name specified\n', 1);
    try {
      netnsDel(world, ctx.sys.host, name);
    } catch (e) {
      if (e instanceof KernelError) die(ctx, `Cannot remove namespace file "/run/netns/${name}": No such file or directory\n`, 1);
      throw e;
    }
    return 0;
  }
  if (matches(c, 'identify')) {
    const rest = argv.slice(1);
    if (rest.length > 1) die(ctx, 'extra arguments specified\n', 1);
    let nsId = ctx.ns;
    if (rest.length === 1) {
      const pidStr = rest[0]!;
      if (!/^\d*$/.test(pidStr)) die(ctx, `Specified string '${pidStr}' is not a pid\n`, 1);
      const proc = world.host(ctx.sys.host).processes.find((p) => String(p.pid) === pidStr);
      if (!proc) die(ctx, 'Cannot open network namespace: No such file or directory\n', 1);
      nsId = proc.ns;
    }
    const h = world.host(ctx.sys.host);
    const name = Object.entries(h.netns).find(([, v]) => v === nsId)?.[0] ?? '';
    ctx.p.text(`${name}\n`);
    return 0;
  }
  if (matches(c, 'pids')) {
    const rest = argv.slice(1);
    if (rest.length < 1) die(ctx, 'No netns name specified\n', 1);
    if (rest.length > 1) die(ctx, 'extra arguments specified\n', 1);
    const h = world.host(ctx.sys.host);
    const target = own(h.netns, rest[0]!);
    if (!target) die(ctx, 'Cannot open network namespace: No such file or directory\n', 1);
    for (const proc of h.processes.filter((p) => p.ns === target).sort((a, b) => a.pid - b.pid)) ctx.p.text(`${proc.pid}\n`);
    return 0;
  }
  if (matches(c, 'exec')) {
    const rest = argv.slice(1);
    if (rest.length < 1 && !ctx.opts.all) die(ctx, 'No netns name specified\n', 1);
    if ((rest.length < 2 && !ctx.opts.all) || (rest.length < 1 && ctx.opts.all)) die(ctx, 'No command specified\n', 1);
    if (ctx.opts.all) {
      for (const name of netnsList(world, ctx.sys.host)) {
        ctx.p.text(`\nnetns: ${name}\n`);
        const r = await execIn(ctx, name, rest);
        ctx.p.rawOut(r.out);
        ctx.p.error(r.err);
      }
      return 0;
    }
    const r = await execIn(ctx, rest[0]!, rest.slice(1));
    ctx.p.rawOut(r.out);
    ctx.p.error(r.err);
    return r.code;
  }
  if (matches(c, 'monitor')) return 0;
  if (matches(c, 'attach')) die(ctx, 'No netns name and PID specified\n', 1);
  die(ctx, `Command "${c}" is unknown, try "ip netns help".\n`, 255);
}
