// CoreDNS (the kubernetes plugin) answering from the cluster's store:
// Services (A to the ClusterIP; headless: the ready endpoints' addresses and
// per-endpoint names; ExternalName: a CNAME), SRV records of named ports,
// pod records (a-b-c-d.NS.pod.cluster.local, `pods insecure`), reverse
// records of service and endpoint addresses, namespaces that exist without
// data (NOERROR) and everything else in cluster.local NXDOMAIN with the
// zone's SOA; other names are forwarded (`forward . /etc/resolv.conf`).
// The answering itself is src/sim/dns.ts's CoreDNS; this module feeds it the
// records and starts the server from the Corefile of the `coredns` ConfigMap.
import { sha512 } from '@noble/hashes/sha2.js';
import { setClusterDnsRecords, startCoreDns, reverseName } from '../../sim/dns';
import type { DnsRecord, HostId, NsId, Process } from '../../sim/types';
import type { World } from '../../sim/world';
import { clusterState, type Api } from '../api/store';
import { internalApi } from '../cluster';
import type { EndpointSlice, Namespace, Pod, Service } from '../api/types';

export interface CorefileConfig {
  /** the kubernetes plugin's zones (cluster.local in-addr.arpa ip6.arpa) */
  zones: string[];
  /** its ttl (30) */
  ttl: number;
  /** forward . TARGETS */
  forward: string[];
  /** the loop plugin is present */
  loop: boolean;
}

/** The parts of a Corefile the model uses (kubeadm's Corefile by default). */
export function parseCorefile(text: string): CorefileConfig {
  const cfg: CorefileConfig = { zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], ttl: 30, forward: ['/etc/resolv.conf'], loop: false };
  const lines = text.split('\n').map((l) => l.replace(/#.*$/, '').trim());
  let inK8s = false;
  for (const l of lines) {
    const w = l.split(/\s+/).filter(Boolean);
    if (!w.length) continue;
    if (w[0] === 'kubernetes') {
      cfg.zones = w.slice(1).filter((x) => x !== '{').map((z) => z.replace(/\.$/, ''));
      inK8s = l.endsWith('{');
      continue;
    }
    if (inK8s) {
      if (w[0] === '}') inK8s = false;
      else if (w[0] === 'ttl' && w[1]) cfg.ttl = Number(w[1]);
      continue;
    }
    if (w[0] === 'forward' && w.length >= 3) cfg.forward = w.slice(2).filter((x) => x !== '{');
    if (w[0] === 'loop') cfg.loop = true;
  }
  return cfg;
}

const dashed = (ip: string) => ip.replace(/\./g, '-');

/** The records of the cluster's names (see the header). */
export function clusterRecords(api: Api, domain = 'cluster.local', ttl = 30): DnsRecord[] {
  const out: DnsRecord[] = [];
  const exists = (name: string) => out.push({ name, type: 'TXT', ttl: -1, data: '' });
  const slices = api.scan('endpointslices') as unknown as EndpointSlice[];
  for (const ns of api.scan('namespaces') as Namespace[]) exists(`${ns.metadata?.name}.svc.${domain}`);
  for (const svc of api.scan('services') as Service[]) {
    const name = svc.metadata?.name ?? '';
    const ns = svc.metadata?.namespace ?? 'default';
    const fq = `${name}.${ns}.svc.${domain}`;
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') {
      if (spec.externalName) out.push({ name: fq, type: 'CNAME', ttl, data: `${spec.externalName.replace(/\.$/, '')}.` });
      continue;
    }
    const headless = spec.clusterIP === 'None';
    const mine = slices.filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === name && s.addressType === 'IPv4');
    const eps = mine.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => ({ ip: e.addresses[0]!, host: e.hostname ?? null })));
    if (headless) {
      for (const e of eps) {
        out.push({ name: fq, type: 'A', ttl, data: e.ip });
        out.push({ name: `${e.host ?? dashed(e.ip)}.${fq}`, type: 'A', ttl, data: e.ip });
        out.push({ name: reverseName(e.ip), type: 'PTR', ttl, data: `${e.host ?? dashed(e.ip)}.${fq}.` });
      }
      if (!eps.length) exists(fq);
    } else if (spec.clusterIP) {
      out.push({ name: fq, type: 'A', ttl, data: spec.clusterIP });
      out.push({ name: reverseName(spec.clusterIP), type: 'PTR', ttl, data: `${fq}.` });
    }
    for (const port of spec.ports ?? []) {
      if (!port.name) continue;
      const srv = `_${port.name}._${(port.protocol ?? 'TCP').toLowerCase()}.${fq}`;
      if (headless) {
        const weight = Math.floor(100 / Math.max(1, eps.length));
        for (const e of eps) out.push({ name: srv, type: 'SRV', ttl, data: `0 ${weight} ${port.port} ${e.host ?? dashed(e.ip)}.${fq}.` });
      } else out.push({ name: srv, type: 'SRV', ttl, data: `0 100 ${port.port} ${fq}.` });
    }
  }
  for (const p of api.scan('pods') as Pod[]) {
    const ip = p.status?.podIP;
    if (!ip || p.spec?.hostNetwork) continue;
    out.push({ name: `${dashed(ip)}.${p.metadata?.namespace ?? 'default'}.pod.${domain}`, type: 'A', ttl, data: ip });
  }
  out.push({ name: `dns-version.${domain}`, type: 'TXT', ttl, data: '"1.1.0"' });
  return out;
}

// the live cluster's records, for every CoreDNS process of a world that has one
setClusterDnsRecords((world, cfg) => (clusterState(world) ? clusterRecords(internalApi(world), cfg.localDomains[0] ?? 'cluster.local', cfg.localTtl ?? 30) : null));

/** What CoreDNS prints when it starts (and the reload plugin's SHA512 of the Corefile). */
export function corednsStartLog(corefile: string, cpus = 2, version = '1.12.0'): string {
  const sha = [...sha512(new TextEncoder().encode(corefile))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const build = version === '1.12.1' ? 'go1.24.1, 707c7c1' : 'go1.23.3, 51e11f1';
  return `maxprocs: Leaving GOMAXPROCS=${cpus}: CPU quota undefined\n.:53\n[INFO] plugin/reload: Running configuration SHA512 = ${sha}\nCoreDNS-${version}\nlinux/amd64, ${build}\n`;
}

/**
 * The coredns container's main process in its pod's namespace: listeners on
 * :53 (UDP, TCP), 8080 (health), 8181 (ready), 9153 (metrics); `forward`
 * from the Corefile (the pod's resolv.conf: the node's, dnsPolicy Default).
 * With the loop plugin, an upstream that is CoreDNS itself stops it with the
 * plugin's FATAL line (`error`). `spawn` lets the runtime own the process.
 */
export function startCoreDnsPod(
  world: World,
  host: HostId,
  nsId: NsId,
  corefile: string,
  o: { spawn?: (argv: string[], opts: { role: Process['role'] }) => Process; version?: string; cpus?: number } = {},
): { process: Process | null; log: string; error: string | null } {
  const cfg = parseCorefile(corefile);
  const r = startCoreDns(world, host, nsId, ['/coredns', '-conf', '/etc/coredns/Corefile'], { forward: cfg.forward, ...(o.spawn ? { spawn: o.spawn } : {}) });
  const log = corednsStartLog(corefile, o.cpus ?? 2, o.version ?? '1.12.0');
  if (r.process && r.process.role?.kind === 'dns') {
    r.process.role.config.localDomains = cfg.zones;
    r.process.role.config.localTtl = cfg.ttl;
  }
  return { process: r.process, log: r.error ? `${log}${r.error}\n` : log, error: r.error };
}
