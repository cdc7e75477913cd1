// The property the issue asks for: for random policies, pod labels and
// namespace labels, the packet engine's verdict on the Calico cluster (a
// SYN, a UDP datagram or an echo request through the nodes' real cali-*
// chains) equals the direct evaluation of the NetworkPolicy semantics.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from '../../sim/world';
import { pingOnce, tcpConnect, udpExchange } from '../../sim/packet';
import { bootstrapCluster } from '../bootstrap';
import { kube, syncCluster } from '../cluster';
import type { Api } from '../api/store';
import { podSandbox } from '../runtime/kubelet';
import { evaluate, policyPod, policyWorld, type Flow } from '../policy/evaluate';
import { policyArbitraries } from '../policy/testing';

const KEYS = ['app', 'tier'];
const VALUES = ['a', 'b', 'c'];
const NAMESPACES = ['prod', 'dev'];
const PODS: [string, string, string][] = [
  ['prod', 'p1', 'controlplane'],
  ['prod', 'p2', 'node01'],
  ['prod', 'p3', 'node01'],
  ['dev', 'd1', 'controlplane'],
  ['dev', 'd2', 'node01'],
];

let world: World;
let api: Api;
let blocks: string[] = [];
let ips: string[] = [];
let sport = 20000;

beforeAll(() => {
  world = World.create({ seed: 11 });
  bootstrapCluster(world, { cni: 'calico', ageMs: 20 * 60_000 });
  api = kube(world)!;
  for (const ns of NAMESPACES) api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  syncCluster(world, world.now());
  for (const [ns, name, node] of PODS) {
    const ports = name.endsWith('1') ? [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] : [{ name: 'http', containerPort: 80 }];
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { nodeName: node, tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], ports }] } });
  }
  world.advance(20_000);
  syncCluster(world, world.now());
  ips = PODS.map(([ns, name]) => (api.get('pods', ns, name) as any).status.podIP);
  const nodes = api.scan('nodes') as any[];
  blocks = nodes.map((n) => n.metadata.annotations['projectcalico.org/IPv4VXLANTunnelAddr'] + '/26');
});

const { labelsArb, selectorArb, policyOf } = policyArbitraries({ keys: KEYS, values: VALUES, namespaces: NAMESPACES, maxLabels: 2 });
const nsSelectorArb = fc.oneof(fc.constant({}), fc.constantFrom('x', 'y').map((v) => ({ matchLabels: { team: v } })), fc.constantFrom(...NAMESPACES).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })));
const ipBlockArb = fc.integer({ min: 0, max: 5 }).map((i) => () => {
  const choices = [{ cidr: '10.244.0.0/16' }, { cidr: '10.244.0.0/16', except: [blocks[0]!] }, { cidr: blocks[0]! }, { cidr: blocks[1]! }, { cidr: `${ips[1]}/32` }, { cidr: '10.244.0.0/16', except: [`${ips[2]}/32`, blocks[0]!] }];
  return { ipBlock: choices[i]! };
});
const peerArb = fc.oneof(
  selectorArb.map((s) => () => ({ podSelector: s })),
  nsSelectorArb.map((s) => () => ({ namespaceSelector: s })),
  fc.tuple(selectorArb, nsSelectorArb).map(([p, n]) => () => ({ podSelector: p, namespaceSelector: n })),
  ipBlockArb,
);
const portArb = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(53, 80, 8080) }),
  fc.record({ port: fc.constantFrom(80, 8000), endPort: fc.constantFrom(8080, 9000) }),
  fc.record({ port: fc.constantFrom('http', 'dns') }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constant('dns') }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') }),
);
const ruleArb = fc.record({ peers: fc.option(fc.array(peerArb, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined }) });
const policyArb = policyOf(ruleArb);
const rules = (rs: any[] | undefined, key: 'from' | 'to') => rs?.map((r) => ({ ...(r.peers ? { [key]: r.peers.map((p: () => unknown) => p()) } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
const toPolicy = (p: any, i: number) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: `np${i}`, namespace: p.namespace },
  spec: { podSelector: p.podSelector, ...(p.types ? { policyTypes: p.types } : {}), ...(p.ingress ? { ingress: rules(p.ingress, 'from') } : {}), ...(p.egress ? { egress: rules(p.egress, 'to') } : {}) },
});

type Probe = { proto: 'TCP' | 'UDP' | 'ICMP'; port?: number };
const PROBES: Probe[] = [{ proto: 'TCP', port: 80 }, { proto: 'TCP', port: 8080 }, { proto: 'UDP', port: 53 }, { proto: 'ICMP' }];

/** What the packet engine does with a new connection from pod i to pod j: true when it gets through (an answer or a refusal). */
function engineAllows(i: number, j: number, probe: Probe): boolean {
  const [ns, name] = PODS[i]!;
  const src = podSandbox(api, (api.peek('pods', ns, name) as any).metadata.uid)!;
  const dst = ips[j]!;
  sport += 1;
  if (probe.proto === 'TCP') return tcpConnect(world, src.nsId, null, dst, probe.port!, 300, { sport }).kind !== 'timeout';
  if (probe.proto === 'UDP') return udpExchange(world, src.nsId, { dst, dport: probe.port!, len: 20, data: null, timeoutMs: 300, sport }).kind !== 'timeout';
  return pingOnce(world, src.nsId, dst, 300).rtt !== null;
}

describe('Calico enforces what the NetworkPolicy semantics say', () => {
  it('for random policies and labels, every pod pair and protocol: the packet engine agrees with the evaluator', () => {
    let checked = 0;
    let denied = 0;
    fc.assert(
      fc.property(fc.array(labelsArb, { minLength: PODS.length, maxLength: PODS.length }), fc.array(fc.constantFrom('x', 'y', null), { minLength: 2, maxLength: 2 }), fc.array(policyArb, { maxLength: 4 }), (labels, teams, policies) => {
        for (const np of api.scan('networkpolicies') as any[]) api.delete('networkpolicies', np.metadata.namespace, np.metadata.name);
        PODS.forEach(([ns, name], i) => {
          const cur = (api.get('pods', ns, name) as any).metadata.labels ?? {};
          const patch: Record<string, string | null> = Object.fromEntries(Object.keys(cur).map((k) => [k, null]));
          api.patch('pods', ns, name, 'merge', { metadata: { labels: { ...patch, ...labels[i] } } });
        });
        NAMESPACES.forEach((ns, i) => api.patch('namespaces', null, ns, 'merge', { metadata: { labels: { team: teams[i] ?? null } } }));
        policies.forEach((p, i) => api.create(toPolicy(p, i)));
        syncCluster(world, world.now());
        const w = policyWorld(api.scan('namespaces') as any[], api.scan('networkpolicies') as any[]);
        const pods = PODS.map(([ns, name]) => policyPod(api.get('pods', ns, name)));
        for (let i = 0; i < PODS.length; i++) {
          for (let j = 0; j < PODS.length; j++) {
            if (i === j) continue;
            for (const probe of PROBES) {
              const flow: Flow = { src: { pod: pods[i]!, ip: pods[i]!.ip }, dst: { pod: pods[j]!, ip: pods[j]!.ip }, protocol: probe.proto, ...(probe.port ? { port: probe.port } : {}) };
              const want = evaluate(w, flow).allowed;
              const got = engineAllows(i, j, probe);
              if (got !== want) throw new Error(`${PODS[i]!.join('/')} -> ${PODS[j]!.join('/')} ${probe.proto}/${probe.port ?? ''}: engine ${got}, semantics ${want}\npolicies: ${JSON.stringify((api.scan('networkpolicies') as any[]).map((p) => ({ ns: p.metadata.namespace, spec: p.spec })))}\nlabels: ${JSON.stringify(pods.map((p) => p.labels))} teams ${JSON.stringify(teams)}`);
              checked++;
              if (!want) denied++;
            }
          }
        }
      }),
      { numRuns: 20, seed: 42 },
    );
    expect(checked).toBe(20 * PODS.length * (PODS.length - 1) * PROBES.length);
    // both verdicts occur often enough for the comparison to mean something
    expect(denied).toBeGreaterThan(checked / 10);
    expect(checked - denied).toBeGreaterThan(checked / 10);
  });
});
