// The starting worlds used by the chapters, quizzes, drills and the fidelity
// replay, declared as data: hosts, the switches and cables between them, and
// per host a list of setup lines in the fidelity corpus's vocabulary (plain
// commands, `@daemon`, `@spawn`, `@sleep`, `@hostname`, `@nic IFNAME SEGMENT`),
// applied by src/shell/scenario-builder.ts.

export interface ScenarioHost {
  id: string;
  hostname?: string;
  /** setup lines, run in order on this host before the learner starts */
  setup: string[];
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
}

export const scenarios: Record<string, ScenarioDef> = {};

export function defineScenario(def: ScenarioDef): ScenarioDef {
  scenarios[def.name] = def;
  return def;
}

/** The capture host of the fidelity corpus: only `lo`, DOWN; hostname controlplane. */
defineScenario({
  name: 'corpus',
  title: 'Fidelity capture host',
  description: 'A host exactly as the fidelity corpus starts: only lo, administratively down.',
  hosts: [{ id: 'controlplane', setup: ['@sysctl-set net.ipv4.ping_group_range 0\t2147483647'] }],
  defaultHost: 'controlplane',
});

defineScenario({
  name: 'blank',
  title: 'A fresh host',
  description: 'One Linux host, controlplane, with only the loopback interface, up.',
  hosts: [{ id: 'controlplane', setup: ['@sysctl-set net.ipv4.ping_group_range 0\t2147483647', 'ip link set lo up'] }],
  defaultHost: 'controlplane',
});

export function scenarioNames(): string[] {
  return Object.keys(scenarios);
}
