// CoreDNS configuration through its ConfigMap on a live cluster: edits are
// picked up by the reload plugin after its interval, rewrite and hosts
// change answers, a broken Corefile is refused by the running pods (logged)
// and crashes the pods that start with it.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { kube } from '../cluster';
import { containerLogs } from '../runtime/kubelet';
import { COREFILE } from '../bootstrap';
import { parseCorefileFull } from './coredns';
import { rewriteName } from '../../sim/dns';

describe('the Corefile', () => {
  it('parses as CoreDNS does, with its errors', () => {
    expect(parseCorefileFull(COREFILE).error).toBeNull();
    expect(parseCorefileFull(COREFILE.replace('forward .', 'forwardd .')).error).toMatch(/^\/etc\/coredns\/Corefile:\d+ - Error during parsing: Unknown directive 'forwardd'$/);
    expect(parseCorefileFull(COREFILE.replace(/\}\s*$/, '')).error).toMatch(/ - Error during parsing: Unexpected EOF$/);
    const p = parseCorefileFull('.:53 {\n  rewrite name suffix .corp.internal .svc.cluster.local\n  hosts {\n    10.0.0.9 db.example.com\n    fallthrough\n  }\n  kubernetes cluster.local\n  forward . 8.8.8.8\n  reload 10s\n}\nexample.com:53 {\n  forward . 192.168.121.53\n}\n');
    expect(p.error).toBeNull();
    expect(p.reloadMs).toBe(10_000);
    expect(p.blocks.map((b) => b.zones)).toEqual([[''], ['example.com']]);
    expect(p.blocks[1]!.forward).toEqual({ from: '', to: ['192.168.121.53'] });
    expect(rewriteName(p.blocks[0]!.rewrites, 'web.default.corp.internal')).toBe('web.default.svc.cluster.local');
    expect(rewriteName(p.blocks[0]!.rewrites, 'web.default.svc.cluster.local')).toBeNull();
  });

  it('a rewrite name rule and a hosts block change answers after the reload; a broken Corefile is refused, then crashes new pods', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster')!, seed: 11 });
    const run = (l: string) => s.run(l, { fresh: true, noHistory: true });
    const api = kube(s.world)!;
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const ip = (api.get('services', 'default', 'web') as any).spec.clusterIP;
    const dig = async (name: string) => (await run(`dig @10.96.0.10 +short +time=1 +tries=1 ${name}`)).output;
    expect(await dig('web.default.svc.cluster.local')).toBe(`${ip}\n`);
    const cm: any = api.get('configmaps', 'kube-system', 'coredns');
    cm.data.Corefile = cm.data.Corefile.replace('    kubernetes cluster.local', '    rewrite name web.example.com web.default.svc.cluster.local\n    hosts {\n       192.168.121.99 legacy.example.com\n       fallthrough\n    }\n    kubernetes cluster.local');
    api.update(cm);
    // not before the reload plugin's interval
    expect(await dig('legacy.example.com')).not.toContain('192.168.121.99');
    await run('sleep 31');
    expect(await dig('legacy.example.com')).toBe('192.168.121.99\n');
    expect(await dig('web.example.com')).toBe(`${ip}\n`);
    const full = (await run('dig @10.96.0.10 +time=1 +tries=1 web.example.com')).output;
    expect(full).toMatch(/;; ANSWER SECTION:\nweb\.example\.com\.\s+\d+\s+IN\s+A\s+/);
    const pods = api.list('pods', 'kube-system', { labelSelector: 'k8s-app=kube-dns' }).items as any[];
    const log = (p: any) => containerLogs(api, p.metadata.uid, 'coredns').lines.map((l) => l.text);
    for (const p of pods) expect(log(p).slice(-3)).toEqual(['[INFO] Reloading', expect.stringMatching(/^\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}$/), '[INFO] Reloading complete']);
    // a typo: the running pods keep their configuration and log the refusal
    const cm2: any = api.get('configmaps', 'kube-system', 'coredns');
    cm2.data.Corefile = cm2.data.Corefile.replace('forward .', 'forwardd .');
    api.update(cm2);
    await run('sleep 31');
    for (const p of pods) expect(log(p).at(-1)).toMatch(/^\[ERROR\] Restart failed: \/etc\/coredns\/Corefile:\d+ - Error during parsing: Unknown directive 'forwardd'$/);
    expect(await dig('legacy.example.com')).toBe('192.168.121.99\n');
    // pods started with it crash
    for (const p of pods) api.delete('pods', 'kube-system', p.metadata.name, { gracePeriodSeconds: 0 });
    await run('sleep 60');
    const fresh = api.list('pods', 'kube-system', { labelSelector: 'k8s-app=kube-dns' }).items as any[];
    expect(fresh.length).toBe(2);
    for (const p of fresh) {
      const st = p.status.containerStatuses[0];
      expect(st.restartCount).toBeGreaterThan(0);
      expect(st.state.waiting?.reason ?? st.state.terminated?.reason).toMatch(/CrashLoopBackOff|Error/);
      expect(log(p).at(-1) ?? containerLogs(api, p.metadata.uid, 'coredns', true).lines.at(-1)?.text).toMatch(/Unknown directive 'forwardd'$/);
    }
  });
});
