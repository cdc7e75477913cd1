// kubectl logs and exec: a pod by name or TYPE/NAME (the first pod of a workload), its container (-c, or
// the default one with kubectl's note), then the kubelet's logs or a command run inside the pod's network
// namespace on its node (our own tools, with the pod's /etc/resolv.conf and /etc/hosts).
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import type { Api, KObject } from '../../k8s/api';
import { containerLogs, podSandbox } from '../../k8s/runtime/kubelet';
import { containerHas } from '../../k8s/runtime/toolbox';
import { podHostname } from '../../k8s/net/flannel';
import { call, resourceFor, ServerError } from './client';
import { UsageError } from './generators';
import { parseDuration } from './flags';
import type { HostId, NsId } from '../../sim/types';

type Any = Record<string, any>;

/** The pod a logs/exec argument names: `POD`, `pod/POD`, or `deploy/NAME` (its first pod, with kubectl's note). */
function podFor(ctx: Ctx, api: Api, arg: string, notes: Array<[1 | 2, string]>, verb: 'logs' | 'exec'): KObject {
  if (!arg.includes('/')) return call(() => api.get('pods', ctx.namespace, arg));
  const info = resourceFor(api, arg.slice(0, arg.indexOf('/')));
  const name = arg.slice(arg.indexOf('/') + 1);
  if (info.resource === 'pods') return call(() => api.get('pods', ctx.namespace, name));
  const owner = call(() => api.get(info.resource, ctx.namespace, name)) as Any;
  const sel = owner.spec?.selector?.matchLabels ?? owner.spec?.selector;
  const pods = api.list('pods', ctx.namespace, { labelSelector: Object.entries(sel ?? {}).map(([k, v]) => `${k}=${v}`).join(',') }).items;
  if (!pods.length) throw new UsageError(`timed out waiting for the condition`);
  const sorted = [...pods].sort((a, b) => podRank(a) - podRank(b));
  if (pods.length > 1 || verb === 'logs') notes.push([2, `Found ${pods.length} pods, using pod/${sorted[0]!.metadata.name}\n`]);
  return sorted[0]!;
}

/** kubectl's ActivePods order, simplified: running and ready first. */
function podRank(p: Any): number {
  const phase = p.status?.phase;
  const ready = (p.status?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
  return (phase === 'Running' ? 0 : 2) + (ready ? 0 : 1);
}

function containerOf(ctx: Ctx, pod: Any, notes: Array<[1 | 2, string]>): string {
  const names: string[] = (pod.spec?.containers ?? []).map((c: Any) => c.name);
  const asked = ctx.flags.str('container');
  if (asked) {
    const all = [...names, ...(pod.spec?.initContainers ?? []).map((c: Any) => c.name)];
    if (!all.includes(asked)) throw new ServerError(`error: container ${asked} is not valid for pod ${pod.metadata.name}\n`);
    return asked;
  }
  const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const chosen = def && names.includes(def) ? def : names[0]!;
  if (names.length > 1 && !(def && names.includes(def))) notes.push([2, `Defaulted container "${chosen}" out of: ${names.join(', ')}\n`]);
  return chosen;
}

function waitingReason(pod: Any, container: string): string | null {
  const st = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s: Any) => s.name === container);
  if (!st) return 'ContainerCreating';
  if (st.state?.waiting) return st.state.waiting.reason ?? 'ContainerCreating';
  return null;
}

export async function runLogs(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const notes: Array<[1 | 2, string]> = [];
  const selector = f.str('selector');
  let pods: KObject[];
  if (selector) {
    pods = api.list('pods', ctx.namespace, { labelSelector: selector }).items;
    if (!pods.length) return ordered([[2, `No resources found in ${ctx.namespace} namespace.\n`]], 0);
  } else {
    if (!ctx.args.length) throw new UsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command", true);
    if (ctx.args.length > 2) throw new UsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command", true);
    pods = [podFor(ctx, api, ctx.args[0]!, notes, 'logs')];
    if (ctx.args[1] && !f.str('container')) f.parsed.values.set('container', [ctx.args[1]]);
  }
  const previous = f.bool('previous');
  const tail = f.has('tail') ? f.int('tail') : selector ? 10 : -1;
  // --since defaults to 0s: no limit (only a positive duration filters)
  const sinceMs = f.str('since') ? parseDuration(f.str('since')) : null;
  const since = sinceMs !== null && sinceMs > 0 ? sinceMs : null;
  const now = ctx.sys.world.now();
  const out: Array<[1 | 2, string]> = [...notes];
  for (const pod of pods as Any[]) {
    const containers: string[] = f.bool('all-containers') ? (pod.spec?.containers ?? []).map((c: Any) => c.name) : [containerOf(ctx, pod, out)];
    for (const c of containers) {
      const reason = waitingReason(pod, c);
      const logs = containerLogs(api, pod.metadata.uid, c, previous);
      if (previous && !logs.found) throw new ServerError(`Error from server (BadRequest): previous terminated container "${c}" in pod "${pod.metadata.name}" not found\n`);
      if (!previous && reason && !logs.found) throw new ServerError(`Error from server (BadRequest): container "${c}" in pod "${pod.metadata.name}" is waiting to start: ${reason}\n`);
      let lines = logs.lines.filter((l) => since === null || l.t >= now - since);
      if (tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
      const prefix = f.bool('prefix') ? `[pod/${pod.metadata.name}/${c}] ` : '';
      out.push([1, lines.map((l) => prefix + (f.bool('timestamps') ? new Date(Date.parse('2026-11-26T15:00:00Z') + l.t).toISOString().replace('Z', '000000Z').replace(/\.(\d{3})000000Z$/, '.$1000000Z') + ' ' : '') + (l.text.endsWith('\n') ? l.text : l.text + '\n')).join('')]);
    }
  }
  return ordered(out, 0);
}

/** Quote a word for the shell line our exec runs. */
function shq(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** A shell with nothing to run: it would read its commands from the attached stdin. */
export function waitsForInput(argv: string[]): boolean {
  if (!argv.length) return true;
  const prog = argv[0]!.split('/').pop()!;
  return ['sh', 'bash', 'ash'].includes(prog) && !argv.slice(1).some((a) => a === '-c' || /^-\w*c$/.test(a));
}

const INTERACTIVE_EXEC = 'an interactive shell in a pod is not available in this simulated terminal: run each command with kubectl exec, e.g. kubectl exec POD -- cat /etc/resolv.conf, or several with kubectl exec POD -- sh -c \'COMMANDS\'';

/** The host name of a pod's UTS namespace (the kubelet's, as it writes the pod's /etc/hostname) */
export function podHostnameOf(pod: Any): string {
  return podHostname(pod.spec?.hostname, String(pod.metadata?.name ?? ''));
}

/** A command line run in a pod's network and UTS namespaces on its node, with our tools (kubectl exec, kubectl run -i). */
export async function inSandbox(ctx: Ctx, sb: { host: HostId; nsId: NsId }, command: string[], uts: string): Promise<{ chunks: Array<[1 | 2, string]>; stderr: string; exitCode: number }> {
  const line = command.map(shq).join(' ');
  const r = await ctx.sys.onHost(sb.host, () => ctx.sys.withNs(sb.nsId, () => ctx.io.exec(line), uts));
  return { chunks: r.chunks ?? [[1, r.stdout], [2, r.stderr]], stderr: r.stderr, exitCode: r.exitCode };
}

export async function runExec(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const dash = f.parsed.dash;
  const before = dash >= 0 ? ctx.args.slice(0, dash) : ctx.args;
  const command = dash >= 0 ? ctx.args.slice(dash) : before.slice(1);
  if (!before.length) throw new UsageError('pod, type/name or --filename must be specified');
  if (!command.length) throw new UsageError('you must specify at least one command for the container');
  // -i hands the terminal's input to the command: a shell would read its commands from it
  if (f.bool('stdin') && waitsForInput(command)) throw new UsageError(INTERACTIVE_EXEC);
  const notes: Array<[1 | 2, string]> = [];
  const pod = podFor(ctx, api, before[0]!, notes, 'exec') as Any;
  const container = containerOf(ctx, pod, notes);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw new UsageError(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  const st = (pod.status?.containerStatuses ?? []).find((s: Any) => s.name === container);
  const sb = podSandbox(api, pod.metadata.uid);
  if (!st?.state?.running || !sb) throw new ServerError(`error: Internal error occurred: unable to upgrade connection: container not found ("${container}")\n`);
  // the container's image decides what it can run (src/k8s/runtime/toolbox.ts): busybox has wget, nginx has not
  if (!containerHas(api, pod.metadata.namespace, pod.metadata.name, container, command[0]!)) {
    return ordered([...notes, [2, `error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${'0'.repeat(64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown\n`]], 1);
  }
  const r = await inSandbox(ctx, sb, command, podHostnameOf(pod));
  const out: Array<[1 | 2, string]> = [...notes, ...r.chunks];
  if (r.exitCode !== 0) {
    if (r.exitCode === 127 && /command not found/.test(r.stderr)) {
      return ordered([...notes, [2, `error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${'0'.repeat(64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown\n`]], 1);
    }
    out.push([2, `command terminated with exit code ${r.exitCode}\n`]);
  }
  return ordered(out, r.exitCode);
}
