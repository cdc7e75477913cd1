// The drill grader's view request: the page renders a drill from what the engine worker instantiates (the
// definitions and their checks never reach the page).
import { describe, expect, it } from 'vitest';
import { handle } from './grader-worker';
import { drillById } from '../../labs/drills/index';
import { instantiate } from '../../labs/drills/schema';

describe('drill grader: view', () => {
  it("answers an attempt's texts as instantiate gives them, plain JSON", async () => {
    const def = drillById('netns-veth-pair')!;
    const r = await handle({ t: 'view', id: 1, drill: def.id, seed: 42 });
    expect(r.t).toBe('viewed');
    if (r.t !== 'viewed') return;
    const inst = instantiate(def, 42);
    expect(r.view).toEqual({
      def: { id: def.id, title: def.title, domain: def.domain, difficulty: def.difficulty, minutes: def.minutes, weight: def.weight, summary: def.summary, scenario: def.scenario, ...(def.host ? { host: def.host } : {}) },
      seed: 42,
      task: inst.task,
      requirements: inst.requirements.map((q) => ({ id: q.id, text: q.text })),
      hints: inst.hints,
      solution: inst.solution,
    });
    // what a worker can post: survives structured cloning unchanged
    expect(structuredClone(r.view)).toEqual(r.view);
    // another seed, other values
    const other = await handle({ t: 'view', id: 2, drill: def.id, seed: 43 });
    expect(other.t === 'viewed' && other.view.task).toBe(instantiate(def, 43).task);
  });

  it("an exam task's view names its context", async () => {
    const def = drillById('k8s-expose-clusterip')!;
    const r = await handle({ t: 'view', id: 3, drill: def.id, seed: 5, exam: { context: 'hk8s', contexts: ['k8s', 'hk8s'] } });
    expect(r.t === 'viewed' && r.view.task).toMatch(/^Use the context `hk8s`/);
    expect(r.t === 'viewed' && r.view.solution[0]).toBe('kubectl config use-context hk8s');
  });

  it('an unknown drill is an error answer, not a throw', async () => {
    expect(await handle({ t: 'view', id: 4, drill: 'nope', seed: 1 })).toEqual({ t: 'error', id: 4, message: 'unknown drill nope' });
  });
});
