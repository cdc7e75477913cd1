import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { Api, initClusterState, StatusError } from '../api/index';

function fresh(): Api {
  const w = World.create({ seed: 7 });
  initClusterState(w);
  const api = new Api(w);
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return api;
}

function message(spec: any): string {
  try {
    fresh().create({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec });
  } catch (e) {
    if (e instanceof StatusError) return e.message;
    throw e;
  }
  return 'created';
}

describe('NetworkPolicy validation (kube-apiserver texts)', () => {
  it('accepts the usual shapes and defaults policyTypes and protocol', () => {
    const api = fresh();
    const o = api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec: { podSelector: {}, egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }] } }) as any;
    expect(o.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(o.spec.egress[0].ports[1].protocol).toBe('TCP');
    expect(o.metadata.generation).toBe(1);
  });

  it('a peer with ipBlock and a selector is forbidden; an empty peer is required', () => {
    expect(message({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16' }, podSelector: { matchLabels: { app: 'api' } } }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer');
    expect(message({ podSelector: {}, egress: [{ to: [{}] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.egress[0].to[0]: Required value: must specify a peer');
  });

  it('ipBlock: cidr required and valid, except a strict subset', () => {
    expect(message({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'not-cidr' } }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "not-cidr": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)');
    expect(message({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`');
    expect(message({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['172.16.0.0/12'] } }] }] })).toContain('must be a strict subset of `cidr`');
    expect(message({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] })).toBe('created');
  });

  it('ports: range, endPort rules, named ports, protocol', () => {
    expect(message({ podSelector: {}, ingress: [{ ports: [{ port: 8080, endPort: 80 }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 8080: must be greater than or equal to `port`');
    expect(message({ podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric');
    expect(message({ podSelector: {}, ingress: [{ ports: [{ endPort: 90 }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified');
    expect(message({ podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
    expect(message({ podSelector: {}, ingress: [{ ports: [{ port: '80' }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].port: Invalid value: "80": must contain at least one letter (a-z)');
    expect(message({ podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'ICMP' }] }] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"');
  });

  it('policyTypes: only Ingress and Egress, at most two', () => {
    expect(message({ podSelector: {}, policyTypes: ['ingress'] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress"');
    expect(message({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] })).toBe('NetworkPolicy.networking.k8s.io "np" is invalid: spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes');
  });
});
