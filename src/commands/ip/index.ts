// `ip` (iproute2 6.1): global options and object dispatch (ip/ip.c).
import type { CmdIO, CmdResult, NetCommand, Sys } from '../types';
import { ordered } from '../types';
import { doIpaddr } from './address';
import { IP_USAGE, IP_VERSION } from './help';
import { doIplink } from './link';
import { doIpneigh } from './neigh';
import { doNetns } from './netns';
import { doIproute } from './route';
import { doIprule } from './rule';
import { defaultOpts, die, IpExit, matches, nsByName, Printer, type IpCtx, type IpOpts } from './utils';
import { lazyCompleter } from '../lazy-command';
import { loadChunk } from '../../sim/chunks';
import { sysClassNet } from './sysfs';

type ObjFn = (ctx: IpCtx, argv: string[]) => number | Promise<number>;

function unsupported(name: string): ObjFn {
  return (ctx) => die(ctx, `Object "${name}" is not supported by this simulation.\n`, 1);
}

/** The objects in iproute2's order: matches() picks the first whose name the argument prefixes. */
const OBJECTS: Array<[string, ObjFn]> = [
  ['address', doIpaddr],
  ['addrlabel', unsupported('addrlabel')],
  ['maddress', unsupported('maddress')],
  ['route', doIproute],
  ['rule', doIprule],
  ['neighbor', doIpneigh],
  ['neighbour', doIpneigh],
  ['ntable', unsupported('ntable')],
  ['ntbl', unsupported('ntbl')],
  ['link', doIplink],
  ['l2tp', unsupported('l2tp')],
  ['fou', unsupported('fou')],
  ['ila', unsupported('ila')],
  ['macsec', unsupported('macsec')],
  ['tunnel', unsupported('tunnel')],
  ['tunl', unsupported('tunl')],
  ['tuntap', unsupported('tuntap')],
  ['tap', unsupported('tap')],
  ['token', unsupported('token')],
  ['tcpmetrics', unsupported('tcpmetrics')],
  ['tcp_metrics', unsupported('tcp_metrics')],
  ['monitor', unsupported('monitor')],
  ['xfrm', unsupported('xfrm')],
  ['mroute', unsupported('mroute')],
  ['mrule', unsupported('mrule')],
  ['netns', doNetns],
  ['netconf', unsupported('netconf')],
  ['vrf', unsupported('vrf')],
  ['sr', unsupported('sr')],
  ['nexthop', unsupported('nexthop')],
  ['mptcp', unsupported('mptcp')],
  ['ioam', unsupported('ioam')],
  ['help', (ctx) => die(ctx, IP_USAGE, 255)],
  ['stats', unsupported('stats')],
];

function readFamily(name: string): IpOpts['family'] | null {
  switch (name) {
    case 'inet':
      return 4;
    case 'inet6':
      return 6;
    case 'link':
      return 'link';
    case 'bridge':
      return 'bridge';
    case 'mpls':
      return 'mpls';
  }
  return null;
}

/** Parse ip's global options; returns the remaining argv. */
function parseOptions(ctx: IpCtx, argvIn: string[]): string[] {
  const argv = argvIn.slice();
  const o = ctx.opts;
  let color = false;
  while (argv.length) {
    let opt = argv[0]!;
    if (opt === '--') {
      argv.shift();
      break;
    }
    if (opt[0] !== '-') break;
    if (opt[1] === '-') opt = opt.slice(1);
    if (matches(opt, '-loops')) {
      argv.shift();
      if (!argv.length) die(ctx, IP_USAGE, 255);
    } else if (matches(opt, '-family')) {
      argv.shift();
      if (!argv.length) die(ctx, IP_USAGE, 255);
      if (argv[0] === 'help') die(ctx, IP_USAGE, 255);
      const f = readFamily(argv[0]!);
      if (f == null) die(ctx, `Error: argument "${argv[0]}" is wrong: invalid protocol family\n`, 255);
      o.family = f;
    } else if (opt === '-4') o.family = 4;
    else if (opt === '-6') o.family = 6;
    else if (opt === '-0') o.family = 'link';
    else if (opt === '-M') o.family = 'mpls';
    else if (opt === '-B') o.family = 'bridge';
    else if (matches(opt, '-human') || matches(opt, '-human-readable')) o.human = true;
    else if (matches(opt, '-iec')) {
      // IEC units
    } else if (matches(opt, '-stats') || matches(opt, '-statistics')) o.stats++;
    else if (matches(opt, '-details')) o.details++;
    else if (matches(opt, '-resolve')) o.resolve = true;
    else if (matches(opt, '-oneline')) o.oneline = true;
    else if (matches(opt, '-timestamp')) o.timestamp = true;
    else if (matches(opt, '-tshort')) o.timestamp = true;
    else if (matches(opt, '-Version')) {
      ctx.p.text(IP_VERSION);
      throw new IpExit(0);
    } else if (matches(opt, '-force')) o.force = true;
    else if (matches(opt, '-batch')) {
      argv.shift();
      if (!argv.length) die(ctx, IP_USAGE, 255);
      die(ctx, `Cannot open file "${argv[0]}" for reading: No such file or directory\n`, 1);
    } else if (matches(opt, '-brief')) o.brief = true;
    else if (matches(opt, '-json')) o.json = true;
    else if (matches(opt, '-pretty')) o.pretty = true;
    else if (matches(opt, '-rcvbuf')) {
      argv.shift();
      if (!argv.length) die(ctx, IP_USAGE, 255);
    } else if (matchesColor(opt)) {
      const v = opt.includes('=') ? opt.slice(opt.indexOf('=') + 1) : 'always';
      color = v === 'always' || (v === 'auto' && ctx.sys.tty);
    } else if (matches(opt, '-help')) die(ctx, IP_USAGE, 255);
    else if (matches(opt, '-netns')) {
      argv.shift();
      if (!argv.length) die(ctx, 'Command line is not complete. Try option "help"\n', 255);
      const name = argv[0]!;
      const target = nsByName(ctx.sys, name);
      if (!target) die(ctx, `Cannot open network namespace "${name}": No such file or directory\n`, 255);
      ctx.ns = target;
    } else if (matches(opt, '-Numeric')) o.numeric = true;
    else if (matches(opt, '-all')) o.all = true;
    else if (opt === '-echo') o.echo = true;
    else die(ctx, `Option "${opt}" is unknown, try "ip -help".\n`, 255);
    argv.shift();
  }
  o.color = color && !o.json;
  return argv;
}

function matchesColor(arg: string): boolean {
  const eq = arg.indexOf('=');
  const key = eq >= 0 ? arg.slice(0, eq) : arg;
  const val = eq >= 0 ? arg.slice(eq + 1) : '';
  if (!matches(key, '-color')) return false;
  return val === '' || val === 'always' || val === 'auto' || val === 'never';
}

/** Run `ip` with argv in the given system; the result carries stdout, stderr and the exit code. */
export async function runIp(argv: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  const opts = defaultOpts();
  const p = new Printer({ json: false, pretty: false, color: false, oneline: false });
  const ctx: IpCtx = { sys, io, ns: sys.ns, opts, p };
  let code = 0;
  try {
    const rest = parseOptions(ctx, argv);
    const printer = new Printer({ json: opts.json, pretty: opts.pretty, color: opts.color, oneline: opts.oneline });
    printer.out = p.out;
    printer.err = p.err;
    printer.errAt = p.errAt;
    ctx.p = printer;
    if (!rest.length) die(ctx, IP_USAGE, 255);
    const obj = rest[0]!;
    const found = OBJECTS.find(([name]) => matches(obj, name));
    if (!found) die(ctx, `Object "${obj}" is unknown, try "ip help".\n`, 1);
    const runObj = async () => found[1](ctx, rest.slice(1));
    if (ctx.ns !== sys.ns && found[1] === doNetns) {
      // `ip -n NS netns exec ...` runs the command inside NS
      code = await sys.withNs(ctx.ns, runObj);
    } else code = await runObj();
  } catch (e) {
    if (e instanceof IpExit) code = e.code;
    else throw e;
  }
  // stderr written between stdout lines keeps its place (ip route get PREFIX/len warns before the answer)
  if (ctx.p.out && ctx.p.err) return ordered(ctx.p.chunks(), code & 255);
  return { stdout: ctx.p.out, stderr: ctx.p.err, exitCode: code & 255 };
}

export const ip: NetCommand = {
  name: 'ip',
  // its completer (a big table of objects, verbs and options) loads on the first Tab
  ...lazyCompleter(() => loadChunk('ip completion', async () => (await import('../completion-ip')).completeIp)),
  procFiles: { '/sys/class/net': sysClassNet },
  run: runIp,
};
