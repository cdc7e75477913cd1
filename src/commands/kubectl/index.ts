// kubectl (v1.33) as the real one behaves: cobra's command tree and pflag's flags (flags.ts, from the captured
// help), help laid out for the terminal (help.ts), the client-side generators of `create` (generators.ts), the
// printers (printers.ts, yaml.ts, jsonpath.ts). Each verb lives in its own module of this folder.
import type { CmdIO, CmdResult, NetCommand, Sys } from '../types';
import { ordered } from '../types';
import { cmdNode, findCommand, flagsOf, FlagError, Flags, parseFlags, suggestionsFor } from './flags';
import { helpText } from './help';
import { UsageError } from './generators';
import { runCreate } from './create';
import { runConfig } from './config';
import { kubectl as legacy } from './legacy';
import { cluster } from '../../sim/k8s';
import { clientVersion } from './version';
import { noServer } from './server';
import { precheck } from './precheck';
import { apiOf, resolveNamespace, ServerError } from './client';
import { runGet } from './get';
import { runLogs, runExec } from './pods';
import { runApply } from './apply';
import { runDescribe } from './describe/index';
import { runPatch } from './patch';
import { runEdit } from './edit';
import { runRollout } from './rollout';
import { runWait } from './wait';
import { runReplace } from './replace';
import { runExplain } from './explain';
import { runAnnotate, runApiResources, runClusterInfo, runDelete, runExpose, runLabel, runRun, runScale, runSetImage, runSetSelector } from './write';
import type { Api } from '../../k8s/api';
import { completeKubectl } from './complete';

/** The verbs that talk to the cluster's API. */
const VERBS: Record<string, (ctx: Ctx, api: Api) => Promise<CmdResult>> = {
  get: runGet,
  delete: runDelete,
  label: runLabel,
  annotate: runAnnotate,
  scale: runScale,
  set: (ctx, api) => (ctx.path === 'set image' ? runSetImage(ctx, api) : ctx.path === 'set selector' ? runSetSelector(ctx, api) : Promise.resolve(noServer(ctx))),
  expose: runExpose,
  run: runRun,
  'api-resources': runApiResources,
  'cluster-info': runClusterInfo,
  logs: runLogs,
  exec: runExec,
  apply: runApply,
  describe: runDescribe,
  patch: runPatch,
  edit: runEdit,
  rollout: runRollout,
  wait: runWait,
  replace: runReplace,
  explain: runExplain,
};

export interface Ctx {
  path: string;
  flags: Flags;
  args: string[];
  io: CmdIO;
  sys: Sys;
  out: Array<[1 | 2, string]>;
  /** the namespace to act in (-n, else the context's, else default) and whether it was set explicitly */
  namespace: string;
  enforceNamespace: boolean;
}

/** Commands whose only job is to hold subcommands: without one they print their help to stderr and fail. */
const GROUPS = new Set(['create service', 'create secret', 'rollout', 'set', 'config', 'auth', 'certificate', 'plugin', 'top', 'alpha']);

export function seeHelp(path: string): string {
  return `See 'kubectl ${path} -h' for help and examples\n`;
}

function result(ctx: Ctx, code: number): CmdResult {
  return ordered(ctx.out, code);
}

async function run(args: string[], io: CmdIO, sys: Sys): Promise<CmdResult> {
  const { path, rest, stray } = findCommand(args);
  // cobra's Find: a word that names no command of kubectl itself fails before any flag is read
  if (path === '' && stray !== null) {
    const root = cmdNode('')!;
    const sugg = suggestionsFor(stray, root.children.filter((c) => c !== 'help' && c !== 'alpha'));
    return ordered([[2, `error: unknown command "${stray}" for "kubectl"${sugg.length ? '\n\nDid you mean this?\n' + sugg.map((s) => `\t${s}\n`).join('') : '\n'}`]], 1);
  }
  const specs = flagsOf(path);
  let parsed;
  try {
    parsed = parseFlags(rest, specs);
  } catch (e) {
    if (e instanceof FlagError) return ordered([[2, `error: ${e.message}\nSee 'kubectl${path ? ' ' + path : ''} --help' for usage.\n`]], 1);
    throw e;
  }
  const flags = new Flags(parsed, specs);
  const tty = sys.tty;
  const help = (p: string) => helpText(p, tty, sys.columns)?.replace(/@@HOME@@/g, io.env.HOME ?? '/root') ?? '';
  if (flags.bool('help')) return ordered([[1, help(path)]], 0);
  const ctx: Ctx = { path, flags, args: parsed.args, io, sys, out: [], namespace: 'default', enforceNamespace: false };
  if (flags.str('namespace')) {
    ctx.namespace = flags.str('namespace');
    ctx.enforceNamespace = true;
  }

  if (path === '') return ordered([[1, help('')]], 0);
  if (path === 'help') {
    const target = findCommand(parsed.args).path;
    return ordered([[1, help(target)]], 0);
  }
  if (path === 'options') return ordered([[1, help('@options')]], 0);
  if (GROUPS.has(path)) {
    if (!parsed.args.length) return ordered([[2, help(path)]], 1);
    return ordered([[2, `error: unknown command "${parsed.args.join(' ')}"\n${seeHelp(path)}`]], 1);
  }
  try {
    const top = path.split(' ')[0]!;
    switch (top) {
      case 'create':
        return await runCreate(ctx);
      case 'config':
        return await runConfig(ctx);
      case 'version': {
        const api = apiOf(ctx);
        if (api) return clientVersion(ctx, { major: '1', minor: api.config.version.split('.')[1] ?? '', gitVersion: api.config.version });
        const snap = cluster(sys.world);
        return clientVersion(ctx, snap ? { gitVersion: snap.nodes[0]?.version ?? 'v1.33.1' } : null);
      }
    }
    const pre = precheck(ctx);
    if (pre) return pre;
    const api = apiOf(ctx);
    if (api) {
      resolveNamespace(ctx);
      const verb = VERBS[top];
      if (verb) return await verb(ctx, api);
    }
    // the read-only snapshot cluster of the k8s-node scenario
    if (cluster(sys.world)) return await legacy.run(args, io, sys);
    return noServer(ctx);
  } catch (e) {
    if (e instanceof ServerError) {
      ctx.out.push([2, e.message]);
      return result(ctx, e.code);
    }
    if (e instanceof UsageError) {
      ctx.out.push([2, `error: ${e.message}\n${e.seeHelp ? seeHelp(path) : ''}`]);
      return result(ctx, 1);
    }
    throw e;
  }
}

export const kubectl: NetCommand = {
  name: 'kubectl',
  complete: completeKubectl,
  run,
};
