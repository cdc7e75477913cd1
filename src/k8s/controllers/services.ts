// The endpoints and EndpointSlice controllers: for each Service with a
// selector, the pods it selects (ready ones as addresses, the others as
// notReadyAddresses / ready=false), their ports resolved from targetPort
// (a number, or a container port's name).
import type { Controller, ControllerContext } from './framework';
import type { Api } from '../api/store';
import type { KObject } from '../api/types';
import { fromMap, matches } from '../api/selectors';
import { compareIp } from '../../sim/ip';
import { isTerminating, ownerRefTo, podReady } from './util';

interface Ep {
  ip: string;
  node: string | undefined;
  pod: any;
  ready: boolean;
  terminating: boolean;
}

function selected(api: Api, svc: any): Ep[] {
  const sel = fromMap(svc.spec.selector);
  return (api.scan('pods', svc.metadata.namespace) as any[])
    .filter((p) => matches(sel, p.metadata.labels) && p.status?.podIP && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
    .map((p) => ({ ip: p.status.podIP, node: p.spec.nodeName, pod: p, ready: podReady(p) && !isTerminating(p), terminating: isTerminating(p) }));
}

/** The port a service port targets on a given pod (null when a named port is missing there). */
export function targetPortOn(pod: any, sp: any): number | null {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(String(tp))) return Number(tp);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  return null;
}

function targetRef(p: any): any {
  return { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const endpoints: Controller = {
  name: 'endpoints',
  watches: ['services', 'pods', 'endpoints'],
  reconcile({ api }: ControllerContext) {
    for (const svc0 of api.scan('services')) {
      const svc: any = svc0;
      const ns = svc.metadata.namespace;
      if (!svc.spec.selector || svc.spec.type === 'ExternalName') continue;
      const eps = selected(api, svc).filter((e) => !e.terminating || e.ready);
      // group pods by their resolved port set (RepackSubsets)
      const groups = new Map<string, { ports: any[]; addresses: any[]; notReady: any[] }>();
      for (const e of eps) {
        const ports = (svc.spec.ports ?? []).map((sp: any) => ({ sp, port: targetPortOn(e.pod, sp) })).filter((x: any) => x.port !== null);
        if (ports.length === 0) continue;
        const pl = ports.map((x: any) => {
          const o: any = {};
          if (x.sp.name) o.name = x.sp.name;
          o.port = x.port;
          o.protocol = x.sp.protocol ?? 'TCP';
          if (x.sp.appProtocol) o.appProtocol = x.sp.appProtocol;
          return o;
        });
        const key = JSON.stringify(pl);
        const g = groups.get(key) ?? { ports: pl, addresses: [], notReady: [] };
        const addr: any = { ip: e.ip };
        if (e.node) addr.nodeName = e.node;
        addr.targetRef = targetRef(e.pod);
        (e.ready ? g.addresses : g.notReady).push(addr);
        groups.set(key, g);
      }
      const subsets = [...groups.values()].map((g) => {
        const s: any = {};
        if (g.addresses.length) s.addresses = g.addresses.sort((a, b) => compareIp(a.ip, b.ip, 4));
        if (g.notReady.length) s.notReadyAddresses = g.notReady.sort((a, b) => compareIp(a.ip, b.ip, 4));
        s.ports = g.ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
        return s;
      });
      const cur: any = api.peek('endpoints', ns, svc.metadata.name);
      const labels = { ...(svc.metadata.labels ?? {}) };
      const body: any = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: ns, labels: Object.keys(labels).length ? labels : undefined } };
      if (subsets.length) body.subsets = subsets;
      if (!cur) {
        api.create(body);
      } else if (!sameJson(cur.subsets, body.subsets) || !sameJson(cur.metadata.labels, body.metadata.labels)) {
        api.update({ ...cur, metadata: { ...cur.metadata, labels: body.metadata.labels, resourceVersion: undefined }, subsets: body.subsets });
      }
    }
    // Endpoints of services that went away (or lost their selector)
    for (const ep of api.scan('endpoints')) {
      const svc: any = api.peek('services', ep.metadata.namespace!, ep.metadata.name!);
      if (ep.metadata.name === 'kubernetes' && ep.metadata.namespace === 'default') continue;
      if (!svc) api.remove('endpoints', ep.metadata.namespace!, ep.metadata.name!);
    }
  },
};

const SLICE_MANAGER = 'endpointslice-controller.k8s.io';

const endpointSlices: Controller = {
  name: 'endpointslice',
  watches: ['services', 'pods', 'endpointslices'],
  reconcile({ api }: ControllerContext) {
    for (const svc0 of api.scan('services')) {
      const svc: any = svc0;
      const ns = svc.metadata.namespace;
      if (!svc.spec.selector || svc.spec.type === 'ExternalName') continue;
      const eps = selected(api, svc);
      const ports = (svc.spec.ports ?? []).map((sp: any) => {
        const resolved = eps.map((e) => targetPortOn(e.pod, sp)).find((p) => p !== null);
        const o: any = { name: sp.name ?? '', port: resolved ?? (typeof sp.targetPort === 'number' ? sp.targetPort : undefined), protocol: sp.protocol ?? 'TCP' };
        if (o.port === undefined) delete o.port;
        if (sp.appProtocol) o.appProtocol = sp.appProtocol;
        return o;
      });
      const endpointsList = eps.map((e) => {
        const o: any = { addresses: [e.ip], conditions: { ready: e.ready, serving: podReady(e.pod), terminating: e.terminating } };
        if (e.node) o.nodeName = e.node;
        o.targetRef = targetRef(e.pod);
        return o;
      });
      const mine = api.scan('endpointslices', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === SLICE_MANAGER) as any[];
      const labels = { ...(svc.metadata.labels ?? {}), 'endpointslice.kubernetes.io/managed-by': SLICE_MANAGER, 'kubernetes.io/service-name': svc.metadata.name };
      if (mine.length === 0) {
        api.create({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { generateName: `${svc.metadata.name}-`, namespace: ns, labels, ownerReferences: [ownerRefTo(svc as KObject)] },
          addressType: 'IPv4',
          endpoints: endpointsList.length ? endpointsList : null,
          ports,
        });
        continue;
      }
      const [first, ...extra] = mine;
      for (const x of extra) api.remove('endpointslices', ns, x.metadata.name);
      // keep the order of endpoints already in the slice, new ones at the end
      const order = (first.endpoints ?? []).map((e: any) => e.addresses[0]);
      endpointsList.sort((a, b) => {
        const ia = order.indexOf(a.addresses[0]);
        const ib = order.indexOf(b.addresses[0]);
        return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
      });
      const want = endpointsList.length ? endpointsList : null;
      if (!sameJson(first.endpoints ?? null, want) || !sameJson(first.ports, ports) || !sameJson(first.metadata.labels, labels)) {
        api.update({ ...first, metadata: { ...first.metadata, labels, resourceVersion: undefined }, endpoints: want, ports });
      }
    }
  },
};

export const SERVICE_CONTROLLERS = [endpoints, endpointSlices];
