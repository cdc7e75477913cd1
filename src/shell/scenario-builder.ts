// Builds a scenario's world: hosts, segments, then each host's setup lines
// run through a session on that host (so setup uses the same tools as the
// learner). The scenarios themselves are course data (src/labs/scenarios/);
// the shell only knows their shape and is handed the one to build.
import type { World } from '../sim/world';
import type { K8sCluster } from '../sim/k8s';
import { seedHostFiles, writeHostFile } from '../sim/files';

export interface ScenarioHost {
  id: string;
  hostname?: string;
  /** setup lines, run in order on this host before the learner starts */
  setup: string[];
  /** files written before the setup lines run (path -> content) */
  files?: Record<string, string>;
}

export interface ScenarioSegment {
  id: string;
  kind: 'switch' | 'cable';
}

export interface ScenarioDef {
  name: string;
  title: string;
  description: string;
  hosts: ScenarioHost[];
  segments?: ScenarioSegment[];
  /** the host a terminal attaches to unless told otherwise */
  defaultHost: string;
  /** the Kubernetes cluster the hosts belong to (kubectl reads it) */
  cluster?: () => K8sCluster;
  /**
   * Builds what setup lines cannot: runs once the hosts exist (with their
   * files), before their setup lines. The cluster scenarios build their
   * kubeadm cluster here (src/k8s/bootstrap.ts, loaded on first use: hence
   * a promise).
   */
  build?: (world: World) => void | Promise<void>;
}

/** The world of a session given no scenario: one host, controlplane, with `lo` up. */
export const BLANK_SCENARIO: ScenarioDef = {
  name: 'blank',
  title: 'A fresh host',
  description: 'One Linux host, controlplane, with only the loopback interface, up.',
  hosts: [{ id: 'controlplane', setup: ['@sysctl-set net.ipv4.ping_group_range 0\t2147483647', 'ip link set lo up'] }],
  defaultHost: 'controlplane',
};

/** The capture host of the fidelity corpus: only `lo`, DOWN; hostname controlplane. Replays (src/shell/replay.ts) start here. */
export const CORPUS_SCENARIO: ScenarioDef = {
  name: 'corpus',
  title: 'Fidelity capture host',
  description: 'A host exactly as the fidelity corpus starts: only lo, administratively down.',
  hosts: [{ id: 'controlplane', setup: ['@sysctl-set net.ipv4.ping_group_range 0\t2147483647'] }],
  defaultHost: 'controlplane',
};

export interface SetupRunner {
  setup(line: string): Promise<{ output: string; exitCode: number } | void>;
}

export async function buildScenario(
  world: World,
  def: ScenarioDef,
  sessionOn: (world: World, host: string) => SetupRunner,
): Promise<{ defaultHost: string; problems: string[] }> {
  for (const seg of def.segments ?? []) world.state.segments[seg.id] = { id: seg.id, kind: seg.kind, ports: [], fdb: [] };
  if (def.cluster) world.state.cluster = def.cluster();
  for (const h of def.hosts) {
    const host = world.addHost(h.id, h.hostname ?? h.id);
    seedHostFiles(host, world.now());
    for (const [path, content] of Object.entries(h.files ?? {})) writeHostFile(host, path, content, world.now(), path.startsWith('/opt/cni/bin/') ? 0o755 : 0o644);
  }
  // A setup line that fails is a bug in the scenario: it is reported (the
  // scenario test asserts there are none) but never stops the terminal.
  const problems: string[] = [];
  if (def.build) {
    try {
      await def.build(world);
    } catch (e) {
      problems.push(`build: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  for (const h of def.hosts) {
    const runner = sessionOn(world, h.id);
    for (const line of h.setup) {
      try {
        const r = await runner.setup(line.startsWith('@') ? line.slice(1) : line);
        if (r && r.exitCode !== 0) problems.push(`${h.id}: ${line}: exit ${r.exitCode}: ${r.output.trim()}`);
      } catch (e) {
        problems.push(`${h.id}: ${line}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { defaultHost: def.defaultHost, problems };
}
