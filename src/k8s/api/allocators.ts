// The apiserver's ClusterIP and NodePort allocators (service CIDR and node
// port range from ClusterConfig). Like the real bitmap allocators they hand
// out random free values, preferring the upper band of the range and leaving
// the lower band to values asked for explicitly.
import type { Api } from './store';
import { fieldError, type FieldError } from './errors';
import { v4ToInt, intToV4 } from '../../sim/ip';

function cidrRange(cidr: string): { base: number; size: number } {
  const [addr, len] = cidr.split('/');
  const bits = 32 - Number(len);
  const base = (v4ToInt(addr!) >>> bits) << bits;
  return { base: base >>> 0, size: 2 ** bits };
}

/** Offset band sizes as the allocators compute them: min(max(16, size/16), max). */
function staticBand(size: number, cap: number): number {
  return Math.min(Math.max(16, Math.floor(size / 16)), cap);
}

export function ipInServiceRange(api: Api, ip: string): boolean {
  const { base, size } = cidrRange(api.config.serviceCIDR);
  const n = v4ToInt(ip) >>> 0;
  return n > base && n < base + size - 1;
}

function pickIp(api: Api, key: string): string {
  const { base, size } = cidrRange(api.config.serviceCIDR);
  const used = api.state.alloc.ips;
  const lo = staticBand(size - 2, 256);
  const span = size - 2 - lo;
  for (let tries = 0; tries < 4096; tries++) {
    const off = 1 + lo + Math.floor(api.random() * span);
    const ip = intToV4((base + off) >>> 0);
    if (!used[ip]) {
      used[ip] = key;
      return ip;
    }
  }
  for (let off = 1; off < size - 1; off++) {
    const ip = intToV4((base + off) >>> 0);
    if (!used[ip]) {
      used[ip] = key;
      return ip;
    }
  }
  throw new Error('service IP range exhausted');
}

function pickNodePort(api: Api, key: string): number {
  const [lo, hi] = api.config.nodePortRange;
  const size = hi - lo + 1;
  const band = staticBand(size, 128);
  const used = api.state.alloc.nodePorts;
  for (let tries = 0; tries < 4096; tries++) {
    const p = lo + band + Math.floor(api.random() * (size - band));
    if (!used[p]) {
      used[p] = key;
      return p;
    }
  }
  for (let p = lo; p <= hi; p++)
    if (!used[p]) {
      used[p] = key;
      return p;
    }
  throw new Error('node port range exhausted');
}

/**
 * Fill spec.clusterIP(s), ipFamilies, ipFamilyPolicy and the nodePorts of a
 * Service being created (old = null) or updated; returns field errors
 * (address outside the range, already allocated). A dry run allocates
 * nothing for good.
 */
export function allocateServiceAddresses(api: Api, svc: any, old: any | null, dryRun: boolean): FieldError[] {
  const s = svc.spec;
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const errs: FieldError[] = [];
  const ips = api.state.alloc.ips;
  const ports = api.state.alloc.nodePorts;
  const oldIp: string | undefined = old?.spec?.clusterIP;
  const taken: string[] = [];
  const takenPorts: number[] = [];
  if (s.type === 'ExternalName') {
    delete s.clusterIP;
    delete s.clusterIPs;
    delete s.ipFamilies;
    delete s.ipFamilyPolicy;
    if (oldIp && oldIp !== 'None' && ips[oldIp] === key && !dryRun) delete ips[oldIp];
  } else {
    let ip: string | undefined = s.clusterIP || s.clusterIPs?.[0] || undefined;
    if (!ip && oldIp) ip = oldIp;
    if (ip === 'None') {
      s.clusterIP = 'None';
      s.clusterIPs = ['None'];
    } else if (ip) {
      const isNew = ip !== oldIp;
      if (isNew) {
        if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) errs.push({ type: 'Invalid', field: 'spec.clusterIPs[0]', value: ip, detail: 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)' });
        else if (!ipInServiceRange(api, ip)) errs.push({ type: 'Invalid', field: 'spec.clusterIPs', rawValue: `[]string{"${ip}"}`, detail: `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${api.config.serviceCIDR}` });
        else if (ips[ip] && ips[ip] !== key) errs.push({ type: 'Invalid', field: 'spec.clusterIPs', rawValue: `[]string{"${ip}"}`, detail: `failed to allocate IP ${ip}: provided IP is already allocated` });
        else {
          ips[ip] = key;
          taken.push(ip);
        }
      }
      s.clusterIP = ip;
      s.clusterIPs = [ip];
    } else {
      const got = pickIp(api, key);
      taken.push(got);
      s.clusterIP = got;
      s.clusterIPs = [got];
    }
    s.ipFamilies ??= ['IPv4'];
    s.ipFamilyPolicy ??= 'SingleStack';
  }
  const wantsNodePorts = s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
  const [lo, hi] = api.config.nodePortRange;
  const oldPorts = new Set<number>((old?.spec?.ports ?? []).map((p: any) => p.nodePort).filter((x: unknown) => typeof x === 'number'));
  const keep = new Set<number>();
  (s.ports ?? []).forEach((p: any, i: number) => {
    if (!wantsNodePorts) {
      delete p.nodePort;
      return;
    }
    if (p.nodePort) {
      if (oldPorts.has(p.nodePort) || keep.has(p.nodePort)) {
        keep.add(p.nodePort);
        return;
      }
      if (p.nodePort < lo || p.nodePort > hi) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`));
      else if (ports[p.nodePort] && ports[p.nodePort] !== key) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
      else {
        ports[p.nodePort] = key;
        takenPorts.push(p.nodePort);
        keep.add(p.nodePort);
      }
      return;
    }
    // the same port number under another protocol shares its node port
    const twin = (s.ports as any[]).slice(0, i).find((q) => q.port === p.port && q.nodePort);
    if (twin) {
      p.nodePort = twin.nodePort;
      return;
    }
    const n = pickNodePort(api, key);
    takenPorts.push(n);
    keep.add(n);
    p.nodePort = n;
  });
  // the health check node port of a LoadBalancer with externalTrafficPolicy Local (kube-proxy serves it)
  const hcKey = healthCheckNodePort(api, s, old?.spec ?? null, key, takenPorts, errs);
  if (hcKey !== null) keep.add(hcKey);
  if (errs.length || dryRun) {
    for (const ip of taken) delete ips[ip];
    for (const p of takenPorts) delete ports[p];
    return errs;
  }
  // release what the update let go
  if (oldIp && oldIp !== 'None' && oldIp !== s.clusterIP && ips[oldIp] === key) delete ips[oldIp];
  for (const p of oldPorts) if (!keep.has(p) && ports[p] === key) delete ports[p];
  const oldHc: number | undefined = old?.spec?.healthCheckNodePort;
  if (oldHc && !keep.has(oldHc) && ports[oldHc] === key) delete ports[oldHc];
  return errs;
}

/**
 * spec.healthCheckNodePort: allocated (or the requested one taken) for a
 * LoadBalancer whose externalTrafficPolicy is Local, kept across updates,
 * cleared when the Service no longer needs it; refused elsewhere, with
 * kube-apiserver's message. Returns the port the Service keeps, or null.
 */
function healthCheckNodePort(api: Api, s: any, oldSpec: any | null, key: string, takenPorts: number[], errs: FieldError[]): number | null {
  const ports = api.state.alloc.nodePorts;
  const [lo, hi] = api.config.nodePortRange;
  const needs = s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  const had: number | undefined = oldSpec?.type === 'LoadBalancer' && oldSpec?.externalTrafficPolicy === 'Local' ? oldSpec.healthCheckNodePort : undefined;
  if (!needs) {
    if (s.healthCheckNodePort && s.healthCheckNodePort !== had) errs.push(fieldError.invalid('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    else delete s.healthCheckNodePort;
    return null;
  }
  if (!s.healthCheckNodePort && had) s.healthCheckNodePort = had;
  const want: number | undefined = s.healthCheckNodePort;
  if (want) {
    if (want === had) return want;
    if (want < lo || want > hi) errs.push(fieldError.invalid('spec.healthCheckNodePort', want, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`));
    else if (ports[want] && ports[want] !== key) errs.push(fieldError.invalid('spec.healthCheckNodePort', want, 'provided port is already allocated'));
    else {
      ports[want] = key;
      takenPorts.push(want);
      return want;
    }
    return null;
  }
  const n = pickNodePort(api, key);
  takenPorts.push(n);
  s.healthCheckNodePort = n;
  return n;
}

export function releaseServiceAddresses(api: Api, svc: any): void {
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const ips = api.state.alloc.ips;
  const ports = api.state.alloc.nodePorts;
  for (const [ip, k] of Object.entries(ips)) if (k === key) delete ips[ip];
  for (const [p, k] of Object.entries(ports)) if (k === key) delete ports[p];
}
