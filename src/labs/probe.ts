// Probes: how every graded check runs a command. A probe restores a copy of
// the state being graded into a new session, with nothing of the learner's
// shell (no functions, aliases, variables, working directory, history or
// ssh logins), on the host the check names (default: the drill's or
// question's own host, never the one an open `ssh` session is on), and runs
// one line there as a fresh shell (`Session.run(line, { fresh: true })`).
// The state being graded is never changed by a probe.
//
// The session type is given, not imported (src/shell/session.ts `Session`
// satisfies `SessionFactory`), so the same code runs in node and in the
// page's grader workers.
import { World } from '../sim/world';
import type { HostId } from '../sim/types';
import { kube } from '../k8s/cluster';
import { podSandbox } from '../k8s/runtime/kubelet';
import type { Probe, ProbeFrom, ProbeResult } from './checks';
import type { ScenarioDef } from '../shell/scenario-builder';

/** The part of the session snapshot the graders rely on (src/shell/session.ts SessionSnapshot). */
export interface SnapshotLike {
  host: string;
  world: string;
  history: string[];
  cwd?: string;
}

export interface SessionLike<S extends SnapshotLike = SnapshotLike> {
  world: World;
  run(line: string, opts?: { noHistory?: boolean; fresh?: boolean }): Promise<ProbeResult>;
  /** a corpus-style setup directive (`daemon ...`, `spawn ...`, `sleep 2`), without its `@` */
  setup(line: string): Promise<unknown>;
  snapshot(): S;
}

export interface SessionFactory<S extends SnapshotLike = SnapshotLike> {
  create(opts: { scenario: ScenarioDef; host?: string; seed?: number }): Promise<SessionLike<S>>;
  restore(snap: S, opts?: { limits?: { maxExecutionTimeMs?: number } }): Promise<SessionLike<S>>;
}

/** The snapshot with nothing of the learner's shell left: on `host`, in /root, no variables (aliases live there), functions, history or logins. */
export function bareSnapshot<S extends SnapshotLike>(snap: S, host: HostId): S {
  return { ...snap, host, cwd: '/root', history: [], env: {}, functions: {}, logins: [] };
}

/** Where a pod's network namespace is: its node's host and the netns name the runtime gave it; or why it has none. */
function podPlace(world: World, namespace: string, name: string): { host: HostId; netns: string } | string {
  const api = kube(world);
  if (!api) return 'there is no cluster';
  let uid: string | undefined;
  try {
    uid = (api.get('pods' as never, namespace, name) as unknown as { metadata: { uid?: string } }).metadata.uid;
  } catch {
    return `pod ${name} does not exist in namespace ${namespace}`;
  }
  const sb = uid ? podSandbox(api, uid) : null;
  return sb ? { host: sb.host, netns: sb.netnsName } : `pod ${name} in namespace ${namespace} has no network yet`;
}

/**
 * A probe over the state `snap`: each call runs in a new session restored
 * from a bare copy of it (see the header). `home` is the default host.
 */
/** A probe line's wall-clock budget (a learner's line gets 5 s): a loaded machine must not fail a check. */
export const PROBE_TIME_MS = 120_000;

export function freshProbe<S extends SnapshotLike>(f: SessionFactory<S>, snap: S, home: HostId): Probe {
  let world: World | null = null;
  return async (line: string, from: ProbeFrom = {}): Promise<ProbeResult> => {
    let host = from.host ?? home;
    let cmd = line;
    if (from.pod) {
      const place = podPlace((world ??= World.restore(snap.world)), from.pod.namespace, from.pod.name);
      if (typeof place === 'string') return { output: `${place}\n`, exitCode: 255 };
      host = place.host;
      cmd = `ip netns exec ${place.netns} ${line}`;
    } else if (from.netns) {
      cmd = `ip netns exec ${from.netns} ${line}`;
    }
    // a grader's verdict must not depend on the machine's load: no wall-clock limit worth the name (the command and loop counts still bound a probe)
    const s = await f.restore(bareSnapshot(snap, host), { limits: { maxExecutionTimeMs: PROBE_TIME_MS } });
    const r = await s.run(cmd, { fresh: true, noHistory: true });
    return { output: r.output, exitCode: r.exitCode };
  };
}
