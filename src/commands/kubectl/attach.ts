// kubectl run -i / --attach (with --rm): the pod is created, kubectl waits until it runs, attaches to the
// container's process and streams its output, then (--rm) deletes what it created and, with
// --restart=Never, returns the container's exit status (kubectl's run.go: handleAttachPod, waitForPod,
// removeCreatedObjects). The process is the container's command line, run by our tools in the pod's
// network namespace (as kubectl exec runs one); an interactive shell without a command is refused, as
// the terminal has no stdin to give it.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import type { Api, KObject } from '../../k8s/api';
import { attachedRun, containerLogs, podSandbox } from '../../k8s/runtime/kubelet';
import { containerHas, imageToolbox } from '../../k8s/runtime/toolbox';
import { imageInfo } from '../../k8s/plugins';
import { UsageError } from './generators';
import { parseDuration } from './flags';
import { inSandbox, podHostnameOf, waitsForInput } from './pods';
import { podReady } from '../../k8s/controllers/util';
import { waitFor } from './write';

type Any = Record<string, any>;

/**
 * The argv the container runs: its command and args over the image's entrypoint and cmd. The curl
 * image's /entrypoint.sh runs `curl ARGS` when the first argument is an option or no program of the
 * image, else execs ARGS.
 */
function argvOf(container: Any): string[] {
  const info = imageInfo(container.image ?? '');
  const entry: string[] = container.command ?? info?.entrypoint ?? [];
  const args: string[] = container.args ?? (container.command ? [] : (info?.cmd ?? []));
  if (!container.command && entry.length === 1 && entry[0] === '/entrypoint.sh') return !args.length || args[0]!.startsWith('-') || !imageToolbox(container.image).has(args[0]!) ? ['curl', ...args] : args;
  return [...entry, ...args];
}

const INTERACTIVE_SHELL = 'an interactive shell in a pod is not available in this simulated terminal: give the command to run after --, e.g. kubectl run tmp --image=busybox --rm -it --restart=Never -- wget -qO- -T 2 http://SERVICE';

/** Refused before anything is created: `kubectl run -it NAME --image=busybox` with no command to run. */
export function checkAttachable(pod: Any): void {
  if (waitsForInput(argvOf(pod.spec.containers[0]))) throw new UsageError(INTERACTIVE_SHELL);
}

function phaseOf(pod: Any | null): string {
  return pod?.status?.phase ?? 'Pending';
}

function runningAndReady(pod: Any | null): boolean {
  if (!pod) return false;
  const st = pod.status?.containerStatuses?.[0];
  return phaseOf(pod) === 'Running' && !!st?.state?.running && podReady(pod);
}

/** Deletes what `run` created (pod, then the --expose Service), as `kubectl delete` prints it. */
function remove(api: Api, created: KObject[], out: Array<[1 | 2, string]>): void {
  for (const o of created) {
    const resource = o.kind === 'Service' ? 'services' : 'pods';
    if (!api.tryGet(resource, o.metadata.namespace ?? null, o.metadata.name!)) continue;
    api.delete(resource, o.metadata.namespace ?? null, o.metadata.name!, { propagationPolicy: 'Background' });
    out.push([1, `${o.kind === 'Service' ? 'service' : 'pod'} "${o.metadata.name}" deleted\n`]);
  }
}

export async function attachToRun(ctx: Ctx, api: Api, pod: KObject, created: KObject[]): Promise<CmdResult> {
  const f = ctx.flags;
  const ns = pod.metadata.namespace ?? ctx.namespace;
  const name = pod.metadata.name!;
  const restart = (pod as Any).spec.restartPolicy as string;
  const timeout = parseDuration(f.str('pod-running-timeout') || '1m0s') ?? 60_000;
  const out: Array<[1 | 2, string]> = [];
  const current = () => api.tryGet('pods', ns, name) as Any | null;
  const finished = () => ['Succeeded', 'Failed'].includes(phaseOf(current()));
  const removing = f.bool('rm');
  // handleAttachPod: wait until the pod runs and is ready, or has already completed
  if (!waitFor(ctx, api, () => runningAndReady(current()) || finished(), timeout)) {
    if (removing) remove(api, created, out);
    out.push([2, 'error: timed out waiting for the condition\n']);
    return ordered(out, 1);
  }
  let p = current()!;
  const container = p.spec.containers[0];
  if (finished()) out.push([1, containerLogs(api, p.metadata.uid, container.name).lines.map((l) => l.text + '\n').join('')]);
  else {
    if (!f.bool('quiet')) out.push([2, "If you don't see a command prompt, try pressing enter.\n"]);
    const argv = argvOf(container);
    const sb = podSandbox(api, p.metadata.uid);
    if (sb && containerHas(api, ns, name, container.name, argv[0]!)) {
      const r = await inSandbox(ctx, sb, argv, podHostnameOf(p));
      // with a TTY the container's stderr comes through the terminal, as its stdout does
      out.push(...r.chunks.map(([fd, text]) => [f.bool('tty') ? 1 : fd, text] as [1 | 2, string]));
      attachedRun(api, p.metadata.uid, container.name, r.chunks.map(([, t]) => t).join(''), r.exitCode);
    }
    if (f.bool('tty') && restart === 'Always') out.push([1, `Session ended, resume using 'kubectl attach ${name} -c ${container.name} -i -t' command when the pod is running\n`]);
  }
  const waitExit = !f.bool('leave-stdin-open') && (restart === 'Never' || restart === 'OnFailure');
  // the exit status: wait until the container has ended (podCompleted, or podSucceeded for OnFailure)
  const ended = waitExit && waitFor(ctx, api, () => (restart === 'OnFailure' ? phaseOf(current()) === 'Succeeded' : finished()), timeout);
  p = current() ?? p;
  if (removing) remove(api, created, out);
  if (!waitExit) return ordered(out, 0);
  if (!ended) return ordered([...out, [2, 'error: timed out waiting for the condition\n']], 1);
  const phase = phaseOf(p);
  if (phase === 'Succeeded') return ordered(out, 0);
  if (phase === 'Failed') {
    const term = p.status?.containerStatuses?.[0]?.state?.terminated;
    if (!term || !term.exitCode) return ordered([...out, [2, `error: pod ${ns}/${name} failed with unknown exit code\n`]], 1);
    return ordered([...out, [2, `pod ${ns}/${name} terminated (${term.reason ?? 'Error'})\n${term.message ?? ''}`]], term.exitCode);
  }
  return ordered([...out, [2, `error: pod ${ns}/${name} left in phase ${phase}\n`]], 1);
}
