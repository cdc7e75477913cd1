// Builds a scenario's world: hosts, segments, then each host's setup lines
// run through a session on that host (so setup uses the same tools as the
// learner).
import type { World } from '../sim/world';
import { scenarios } from '../sim/scenarios';
import { seedHostFiles, writeHostFile } from '../sim/files';

export interface SetupRunner {
  setup(line: string): Promise<{ output: string; exitCode: number } | void>;
}

export async function buildScenario(
  world: World,
  name: string,
  sessionOn: (world: World, host: string) => SetupRunner,
): Promise<{ defaultHost: string; problems: string[] }> {
  const def = scenarios[name];
  if (!def) throw new Error(`unknown scenario: ${name}`);
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
