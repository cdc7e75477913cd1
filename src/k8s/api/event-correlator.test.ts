import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { Api, initClusterState, rfc3339 } from './index';
import { toTable } from '../http/printers';

// client-go's EventCorrelator (tools/record/events_cache.go, v1.33) as the
// recorders of the simulated components run it.
function fresh() {
  const w = World.create({ seed: 3 });
  initClusterState(w);
  const api = new Api(w);
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const pod = api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' } });
  const at = (ms: number) => {
    api.state.now = ms;
  };
  const rec = (message: string, type: 'Normal' | 'Warning' = 'Warning', reason = 'FailedCreatePodSandBox') => api.recordEvent(pod, { type, reason, message, component: 'kubelet', host: 'node01' });
  const events = () => (api.list('events', 'default').items as any[]).sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  return { api, at, rec, events };
}

describe('event correlator', () => {
  it('the same event again patches the first one: count, lastTimestamp, message; firstTimestamp and name stay', () => {
    const { at, rec, events } = fresh();
    at(1000);
    rec('Back-off restarting failed container', 'Warning', 'BackOff');
    const name = events()[0].metadata.name;
    at(61_000);
    rec('Back-off restarting failed container', 'Warning', 'BackOff');
    at(121_000);
    rec('Back-off restarting failed container', 'Warning', 'BackOff');
    const ev = events();
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ count: 3, metadata: { name }, firstTimestamp: rfc3339(1000), lastTimestamp: rfc3339(121_000), reportingComponent: 'kubelet', reportingInstance: 'node01' });
  });

  it('nine different messages are nine events; from the tenth on, one combined event counts them', () => {
    const { at, rec, events } = fresh();
    for (let i = 0; i < 14; i++) {
      at(i * 12_000);
      rec(`failed to setup network for sandbox "${i}"`);
    }
    const ev = events();
    expect(ev).toHaveLength(10);
    expect(ev.slice(0, 9).map((e) => e.message)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => `failed to setup network for sandbox "${i}"`));
    expect(ev.slice(0, 9).every((e) => e.count === 1)).toBe(true);
    // a fresh v1.Event: no reporting component or instance
    expect(ev[9]).toMatchObject({ count: 5, message: '(combined from similar events): failed to setup network for sandbox "13"', reportingComponent: '', reportingInstance: '', source: { component: 'kubelet', host: 'node01' } });
    expect(ev[9].firstTimestamp).toBe(rfc3339(9 * 12_000));
    expect(ev[9].lastTimestamp).toBe(rfc3339(13 * 12_000));
  });

  it('a pause longer than 10 minutes starts the count of different messages again', () => {
    const { at, rec, events } = fresh();
    for (let i = 0; i < 9; i++) {
      at(i * 1000);
      rec(`attempt ${i}`);
    }
    at(8000 + 600_001);
    rec('attempt 9');
    expect(events().map((e) => e.message).at(-1)).toBe('attempt 9');
    at(8000 + 600_002);
    rec('attempt 10');
    expect(events().at(-1).message).toBe('attempt 10');
    expect(events().some((e) => e.message.startsWith('(combined'))).toBe(false);
  });

  it('the spam filter: 25 events about an object, then one each 5 minutes, carrying what was counted meanwhile', () => {
    const { at, rec, events } = fresh();
    let t = 0;
    for (let i = 0; i < 40; i++) {
      at((t += 1000));
      rec('Back-off pulling image "nginx:nope"', 'Normal', 'BackOff');
      rec(`pull ${i}`, 'Normal', 'Pulling');
    }
    // 25 writes: BackOff took 13 (count 1..13), Pulling 12 (nine events, then the combined one 3 times)
    const w1 = events();
    expect(w1.find((e) => e.reason === 'BackOff').count).toBe(13);
    expect(w1.filter((e) => e.reason === 'Pulling').map((e) => e.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 3]);
    // Warning events have their own bucket
    rec('a warning', 'Warning', 'Failed');
    expect(events().filter((e) => e.type === 'Warning')).toHaveLength(1);
    at(t + 300_000);
    rec('Back-off pulling image "nginx:nope"', 'Normal', 'BackOff');
    const backoff = events().find((e) => e.reason === 'BackOff');
    expect(backoff.count).toBe(41);
    expect(backoff.lastTimestamp).toBe(rfc3339(t + 300_000));
    // the token is spent: the next one is held again
    rec('Back-off pulling image "nginx:nope"', 'Normal', 'BackOff');
    expect(events().find((e) => e.reason === 'BackOff').count).toBe(41);
  });

  it('kubectl get events: LAST SEEN is the age alone; the count and both sources are -o wide columns', () => {
    const { api, at, rec, events } = fresh();
    at(0);
    rec('Started container web', 'Normal', 'Started');
    at(120_000);
    rec('Started container web', 'Normal', 'Started');
    const t = toTable('events', events(), 180_000);
    const names = t.columnDefinitions.map((c) => c.name);
    const row = t.rows[0]!.cells;
    expect(row[names.indexOf('Last Seen')]).toBe('60s');
    expect(row[names.indexOf('First Seen')]).toBe('3m');
    expect(row[names.indexOf('Count')]).toBe(2);
    expect(row[names.indexOf('Source')]).toBe('kubelet, node01');
    const newApi = { ...events()[0], source: {}, reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-controlplane' };
    expect(toTable('events', [newApi], 180_000).rows[0]!.cells[names.indexOf('Source')]).toBe('default-scheduler, default-scheduler-controlplane');
    expect(api.now()).toBe(120_000);
  });
});
