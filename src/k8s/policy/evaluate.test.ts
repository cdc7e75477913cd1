import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluate, type Flow, type PolicyPod, type PolicyWorld } from './evaluate';
import { policyArbitraries } from './testing';
import { defaultNetworkPolicy } from '../api/defaults';

const NS: Record<string, Record<string, string>> = {
  default: { 'kubernetes.io/metadata.name': 'default' },
  prod: { 'kubernetes.io/metadata.name': 'prod', env: 'prod' },
  dev: { 'kubernetes.io/metadata.name': 'dev', env: 'dev' },
  'kube-system': { 'kubernetes.io/metadata.name': 'kube-system' },
};

function pod(namespace: string, name: string, labels: Record<string, string>, ip: string, extra: Partial<PolicyPod> = {}): PolicyPod {
  return { namespace, name, labels, ip, node: 'node01', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], ...extra };
}

function np(namespace: string, name: string, spec: any): any {
  const o = { metadata: { namespace, name }, spec: JSON.parse(JSON.stringify(spec)) };
  defaultNetworkPolicy(o);
  return o;
}

const world = (...policies: any[]): PolicyWorld => ({ policies, namespaces: NS });
const tcp = (src: PolicyPod, dst: PolicyPod, port: number): Flow => ({ src: { pod: src, ip: src.ip }, dst: { pod: dst, ip: dst.ip }, protocol: 'TCP', port });

const front = pod('prod', 'front', { app: 'frontend' }, '10.244.1.2');
const back = pod('prod', 'back', { app: 'backend' }, '10.244.1.3');
const devFront = pod('dev', 'front', { app: 'frontend' }, '10.244.2.2');
const dns = pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, '10.244.0.2', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] });

describe('NetworkPolicy semantics', () => {
  it('no policy: everything is allowed', () => {
    expect(evaluate(world(), tcp(front, back, 80)).allowed).toBe(true);
  });

  it('a default-deny ingress policy isolates every pod of its namespace for ingress only', () => {
    const w = world(np('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(evaluate(w, tcp(devFront, back, 80))).toMatchObject({ allowed: false, ingress: 'denied', egress: 'unrestricted' });
    expect(evaluate(w, tcp(front, back, 80)).allowed).toBe(false);
    expect(evaluate(w, tcp(back, devFront, 80)).allowed).toBe(true);
  });

  it('the implicit Egress type: a policy with egress rules and no policyTypes is for both', () => {
    const p = np('prod', 'e', { podSelector: { matchLabels: { app: 'frontend' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }] }] });
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const w = world(p);
    expect(evaluate(w, tcp(front, back, 80)).allowed).toBe(true);
    expect(evaluate(w, tcp(front, devFront, 80))).toMatchObject({ allowed: false, egress: 'denied' });
    // Ingress is isolated too (no ingress rules)
    expect(evaluate(w, tcp(back, front, 80))).toMatchObject({ allowed: false, ingress: 'denied' });
  });

  it('podSelector and namespaceSelector in one peer is AND, in two peers OR', () => {
    const and = world(np('prod', 'p', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } }, podSelector: { matchLabels: { app: 'frontend' } } }] }] }));
    const or = world(np('prod', 'p', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } } }, { podSelector: { matchLabels: { app: 'frontend' } } }] }] }));
    const devOther = pod('dev', 'other', { app: 'other' }, '10.244.2.9');
    expect(evaluate(and, tcp(devFront, back, 80)).allowed).toBe(true);
    expect(evaluate(and, tcp(front, back, 80)).allowed).toBe(false); // right pod, wrong namespace
    expect(evaluate(and, tcp(devOther, back, 80)).allowed).toBe(false); // right namespace, wrong pod
    expect(evaluate(or, tcp(devFront, back, 80)).allowed).toBe(true);
    expect(evaluate(or, tcp(front, back, 80)).allowed).toBe(true);
    expect(evaluate(or, tcp(devOther, back, 80)).allowed).toBe(true);
    // podSelector alone only means the policy's own namespace
    const own = world(np('prod', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] }));
    expect(evaluate(own, tcp(devFront, back, 80)).allowed).toBe(false);
  });

  it('ipBlock with except matches addresses, pods and non-pods alike', () => {
    const w = world(np('prod', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }] }] }));
    expect(evaluate(w, tcp(front, back, 80)).allowed).toBe(true);
    expect(evaluate(w, tcp(devFront, back, 80)).allowed).toBe(false);
    const outside: Flow = { src: { pod: null, ip: '192.168.121.1' }, dst: { pod: back, ip: back.ip }, protocol: 'TCP', port: 80 };
    expect(evaluate(w, outside).allowed).toBe(false);
    const inside: Flow = { src: { pod: null, ip: '10.244.9.1' }, dst: { pod: back, ip: back.ip }, protocol: 'TCP', port: 80 };
    expect(evaluate(w, inside).allowed).toBe(true);
  });

  it('ports: protocol, numbers, endPort ranges, named ports resolved on the destination, never ICMP', () => {
    const w = world(np('prod', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80 }, { port: 9000, endPort: 9010 }, { port: 'http' }, { protocol: 'UDP', port: 53 }] }] }));
    expect(evaluate(w, tcp(front, back, 80)).allowed).toBe(true);
    expect(evaluate(w, tcp(front, back, 81)).allowed).toBe(false);
    expect(evaluate(w, tcp(front, back, 9005)).allowed).toBe(true);
    expect(evaluate(w, tcp(front, back, 9011)).allowed).toBe(false);
    expect(evaluate(w, tcp(front, back, 8080)).allowed).toBe(true); // named port http = 8080 on back
    const noName = { ...back, ports: [] };
    expect(evaluate(w, tcp(front, noName, 8080)).allowed).toBe(false);
    expect(evaluate(w, { ...tcp(front, back, 53), protocol: 'UDP' }).allowed).toBe(true);
    expect(evaluate(w, tcp(front, back, 53)).allowed).toBe(false); // 53 is only allowed for UDP
    expect(evaluate(w, { src: { pod: front, ip: front.ip }, dst: { pod: back, ip: back.ip }, protocol: 'ICMP' }).allowed).toBe(false);
    // a rule without ports allows ICMP
    const all = world(np('prod', 'p', { podSelector: {}, ingress: [{}] }));
    expect(evaluate(all, { src: { pod: front, ip: front.ip }, dst: { pod: back, ip: back.ip }, protocol: 'ICMP' }).allowed).toBe(true);
  });

  it('egress without a DNS rule breaks name resolution; the usual DNS rule (53/UDP+TCP to kube-dns) allows it', () => {
    const noDns = world(np('prod', 'e', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] }));
    const dnsFlow = (proto: 'UDP' | 'TCP'): Flow => ({ src: { pod: front, ip: front.ip }, dst: { pod: dns, ip: dns.ip }, protocol: proto, port: 53 });
    expect(evaluate(noDns, dnsFlow('UDP')).allowed).toBe(false);
    expect(evaluate(noDns, tcp(front, back, 80)).allowed).toBe(true);
    const withDns = world(
      np('prod', 'e', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] }),
      np('prod', 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }),
    );
    expect(evaluate(withDns, dnsFlow('UDP'))).toMatchObject({ allowed: true, egressBy: ['prod/dns'] });
    expect(evaluate(withDns, dnsFlow('TCP')).allowed).toBe(true);
  });

  it('hostNetwork pods and nodes: not selected, matched by ipBlock only; the resident node always reaches its pods', () => {
    const hostPod = pod('prod', 'hp', { app: 'frontend' }, '192.168.121.11', { hostNetwork: true });
    const w = world(np('prod', 'p', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] }));
    // same node (node01): allowed as resident node traffic
    expect(evaluate(w, tcp(hostPod, back, 80)).allowed).toBe(true);
    const remoteHostPod = { ...hostPod, node: 'controlplane', ip: '192.168.121.10' };
    expect(evaluate(w, tcp(remoteHostPod, back, 80)).allowed).toBe(false);
    const fromRemoteNode: Flow = { src: { pod: null, ip: '192.168.121.10', node: 'controlplane' }, dst: { pod: back, ip: back.ip }, protocol: 'TCP', port: 80 };
    expect(evaluate(w, fromRemoteNode).allowed).toBe(false);
    expect(evaluate(w, { ...fromRemoteNode, src: { pod: null, ip: '192.168.121.11', node: 'node01' } }).allowed).toBe(true);
    // a hostNetwork pod is never isolated by a policy that selects its labels
    const deny = world(np('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    expect(evaluate(deny, tcp(hostPod, devFront, 80)).allowed).toBe(true);
    expect(evaluate(deny, tcp(devFront, hostPod, 80)).allowed).toBe(true);
  });
});

// ---------------------------------------------------------------- properties over random policies and labels

const KEYS = ['app', 'tier', 'env'];
const VALUES = ['a', 'b', 'c'];
const NAMESPACES = ['default', 'prod', 'dev'];
const { labelsArb, selectorArb, policyOf } = policyArbitraries({ keys: KEYS, values: VALUES, namespaces: NAMESPACES, maxLabels: 3 });
const nsSelectorArb = fc.oneof(fc.constant({}), fc.constantFrom('prod', 'dev').map((e) => ({ matchLabels: { env: e } })), fc.constantFrom(...NAMESPACES).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })));
const cidrArb = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(16, 24, 28)).map(([b, len]) => `10.244.${b}.0/${len}`);
const peerArb = fc.oneof(
  selectorArb.map((s) => ({ podSelector: s })),
  nsSelectorArb.map((s) => ({ namespaceSelector: s })),
  fc.tuple(selectorArb, nsSelectorArb).map(([p, n]) => ({ podSelector: p, namespaceSelector: n })),
  fc.tuple(cidrArb, fc.integer({ min: 0, max: 3 })).map(([c, e]) => ({ ipBlock: { cidr: c, ...(c.endsWith('/16') ? { except: [`10.244.${e}.0/24`] } : {}) } })),
);
const portArb = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(53, 80, 443, 8080) }),
  fc.record({ port: fc.constantFrom(80, 8000), endPort: fc.constantFrom(8080, 9000) }),
  fc.record({ port: fc.constantFrom('http', 'dns') }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') }),
);
const ruleArb = fc.record({ peers: fc.option(fc.array(peerArb, { maxLength: 3 }), { nil: undefined }), ports: fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined }) });
const policyArb = policyOf(ruleArb);
const toPolicy = (p: any, i: number) =>
  np(p.namespace, `p${i}`, {
    podSelector: p.podSelector,
    ...(p.types ? { policyTypes: p.types } : {}),
    ...(p.ingress ? { ingress: p.ingress.map((r: any) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
    ...(p.egress ? { egress: p.egress.map((r: any) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
  });
const podArb = fc.record({ namespace: fc.constantFrom(...NAMESPACES), labels: labelsArb, b: fc.integer({ min: 0, max: 3 }), h: fc.integer({ min: 2, max: 250 }), named: fc.boolean() }).map((p, ) => pod(p.namespace, `pod-${p.b}-${p.h}`, p.labels, `10.244.${p.b}.${p.h}`, { ports: p.named ? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] : [] }));
const flowArb = fc.record({ src: podArb, dst: podArb, protocol: fc.constantFrom('TCP', 'UDP', 'ICMP'), port: fc.constantFrom(53, 80, 443, 8080, 8500) }).filter((f) => f.src.name !== f.dst.name || f.src.namespace !== f.dst.namespace).map((f) => ({ src: { pod: f.src, ip: f.src.ip }, dst: { pod: f.dst, ip: f.dst.ip }, protocol: f.protocol as any, ...(f.protocol === 'ICMP' ? {} : { port: f.port }) }) as Flow);

describe('NetworkPolicy semantics: properties', () => {
  it('the verdict does not depend on the order of policies, nor on policies outside the two pods\' namespaces', () => {
    fc.assert(
      fc.property(fc.array(policyArb, { maxLength: 4 }), flowArb, (ps, flow) => {
        const pols = ps.map(toPolicy);
        const v = evaluate(world(...pols), flow);
        expect(evaluate(world(...[...pols].reverse()), flow).allowed).toBe(v.allowed);
        const local = pols.filter((p) => p.metadata.namespace === flow.src.pod!.namespace || p.metadata.namespace === flow.dst.pod!.namespace);
        expect(evaluate(world(...local), flow)).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('adding a policy that allows everything for its pods never denies a connection that was allowed', () => {
    fc.assert(
      fc.property(fc.array(policyArb, { maxLength: 4 }), policyArb, flowArb, (ps, extra, flow) => {
        const pols = ps.map(toPolicy);
        const before = evaluate(world(...pols), flow);
        const open = np(extra.namespace, 'open', { podSelector: extra.podSelector, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
        const after = evaluate(world(...pols, open), flow);
        if (before.allowed) expect(after.allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('two peers in a rule allow the union of what each allows alone (OR)', () => {
    fc.assert(
      fc.property(selectorArb, peerArb, peerArb, flowArb, (sel, a, b, flow) => {
        const mk = (from: any[]) => world(np(flow.dst.pod!.namespace, 'p', { podSelector: sel, ingress: [{ from }] }));
        expect(evaluate(mk([a, b]), flow).allowed).toBe(evaluate(mk([a]), flow).allowed || evaluate(mk([b]), flow).allowed);
      }),
      { numRuns: 300 },
    );
  });

  it('podSelector with namespaceSelector in one peer allows the intersection (AND)', () => {
    fc.assert(
      fc.property(selectorArb, nsSelectorArb, flowArb, (ps, ns, flow) => {
        const mk = (peer: any) => world(np(flow.dst.pod!.namespace, 'p', { podSelector: {}, ingress: [{ from: [peer] }] }));
        const both = evaluate(mk({ podSelector: ps, namespaceSelector: ns }), flow).allowed;
        const nsOnly = evaluate(mk({ namespaceSelector: ns }), flow).allowed;
        const podAnywhere = evaluate(mk({ podSelector: ps, namespaceSelector: {} }), flow).allowed;
        expect(both).toBe(nsOnly && podAnywhere);
      }),
      { numRuns: 300 },
    );
  });

  it('ipBlock except subtracts: cidr minus except allows what cidr allows and except does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), flowArb, (e, flow) => {
        const mk = (block: any) => world(np(flow.dst.pod!.namespace, 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: block }] }] }));
        const withExcept = evaluate(mk({ cidr: '10.244.0.0/16', except: [`10.244.${e}.0/24`] }), flow).allowed;
        const whole = evaluate(mk({ cidr: '10.244.0.0/16' }), flow).allowed;
        const hole = evaluate(mk({ cidr: `10.244.${e}.0/24` }), flow).allowed;
        expect(withExcept).toBe(whole && !hole);
      }),
      { numRuns: 200 },
    );
  });

  it('a port range allows exactly the ports of the single-port rules it covers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 130 }), (lo, span, port) => {
        const dst = back;
        const flow = tcp(front, dst, port);
        const range = world(np('prod', 'p', { podSelector: {}, ingress: [{ ports: [{ port: lo, endPort: lo + span }] }] }));
        const singles = world(np('prod', 'p', { podSelector: {}, ingress: [{ ports: Array.from({ length: span + 1 }, (_, i) => ({ port: lo + i })) }] }));
        expect(evaluate(range, flow).allowed).toBe(evaluate(singles, flow).allowed);
      }),
      { numRuns: 200 },
    );
  });

  it('a default-deny policy (podSelector {}, no rules) denies every connection into its namespace from other pods', () => {
    fc.assert(
      fc.property(fc.array(policyArb, { maxLength: 3 }), flowArb, (ps, flow) => {
        const pols = ps.map(toPolicy).filter((p) => p.metadata.namespace !== flow.dst.pod!.namespace);
        const v = evaluate(world(...pols, np(flow.dst.pod!.namespace, 'deny', { podSelector: {}, policyTypes: ['Ingress'] })), flow);
        expect(v.allowed).toBe(false);
        expect(v.ingress).toBe('denied');
      }),
      { numRuns: 200 },
    );
  });
});
