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
import { setClusterDnsRecords, setDnsServerLog, startCoreDns, reverseName, readFileInNs } from '../../sim/dns';
import { log as containerLogLine } from '../runtime/containers';
import type { CoreDnsBlock, DnsRecord, HostId, NsId, Process } from '../../sim/types';
import type { World } from '../../sim/world';
import { clusterState, type Api } from '../api/store';
import { internalApi } from '../cluster';
import { kubeletRuntime, type KubeletRuntime } from '../runtime/state';
import { registerController, type Controller } from '../controllers/framework';
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

// ---------------------------------------------------------------- the Corefile as CoreDNS reads it

/** CoreDNS 1.12's plugins (plugin.cfg): any other directive is "Unknown directive". */
const DIRECTIVES = new Set('root metadata geoip cancel tls timeouts multisocket reload nsid bufsize bind debug trace ready health pprof prometheus errors log dnstap local dns64 acl any chaos loadbalance tsig cache rewrite header dnssec autopath minimal template transfer hosts route53 azure clouddns k8s_external kubernetes file auto secondary etcd loop forward grpc erratic whoami on sign view'.split(' '));

interface Tok {
  text: string;
  line: number;
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '');
    const re = /"([^"]*)"|(\S+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) out.push({ text: m[1] ?? m[2]!, line: i + 1 });
  });
  return out;
}

interface Directive {
  name: string;
  args: string[];
  line: number;
  body: { args: string[]; line: number }[];
}

export interface ParsedCorefile {
  blocks: (Omit<CoreDnsBlock, 'forward'> & { forward: { from: string; to: string[] } | null; port: number })[];
  /** the reload plugin's interval (ms), 30 s by default */
  reloadMs: number;
  loop: boolean;
  /** what CoreDNS prints when it refuses the file (path:line - Error during parsing: ...) */
  error: string | null;
}

/** Parse a Corefile as CoreDNS does (Caddyfile syntax: server blocks, directives, nested blocks), with its errors. */
export function parseCorefileFull(text: string, path = '/etc/coredns/Corefile'): ParsedCorefile {
  const toks = tokenize(text);
  const res: ParsedCorefile = { blocks: [], reloadMs: 30_000, loop: false, error: null };
  const fail = (line: number, msg: string): ParsedCorefile => ({ ...res, blocks: [], error: `${path}:${line} - Error during parsing: ${msg}` });
  let i = 0;
  const lastLine = toks.length ? toks[toks.length - 1]!.line : 1;
  while (i < toks.length) {
    const keys: string[] = [];
    const keyLine = toks[i]!.line;
    while (i < toks.length && toks[i]!.text !== '{' && toks[i]!.line === keyLine) keys.push(toks[i++]!.text);
    if (toks[i]?.text === '}') return fail(toks[i]!.line, "Unexpected '}' because no matching opening brace");
    if (toks[i]?.text !== '{') return fail(toks[i]?.line ?? lastLine, `Unexpected EOF`);
    i++;
    const dirs: Directive[] = [];
    let closed = false;
    while (i < toks.length) {
      const t = toks[i]!;
      if (t.text === '}') {
        i++;
        closed = true;
        break;
      }
      const line = t.line;
      const words: string[] = [];
      while (i < toks.length && toks[i]!.line === line && toks[i]!.text !== '{' && toks[i]!.text !== '}') words.push(toks[i++]!.text);
      const d: Directive = { name: words[0]!, args: words.slice(1), line, body: [] };
      if (!DIRECTIVES.has(d.name)) return fail(line, `Unknown directive '${d.name}'`);
      if (toks[i]?.text === '{' && toks[i]!.line === line) {
        i++;
        let depth = 1;
        while (i < toks.length && depth > 0) {
          const l = toks[i]!.line;
          const ws: string[] = [];
          while (i < toks.length && toks[i]!.line === l) {
            const x = toks[i++]!.text;
            if (x === '{') depth++;
            else if (x === '}') {
              depth--;
              if (depth === 0) break;
            } else ws.push(x);
          }
          if (ws.length) d.body.push({ args: ws, line: l });
        }
        if (depth > 0) return fail(lastLine, 'Unexpected EOF');
      }
      dirs.push(d);
    }
    if (!closed) return fail(lastLine, 'Unexpected EOF');
    // the block's zones and port
    let port = 53;
    const zones = keys.map((k) => {
      const m = /^(?:dns:\/\/)?(.*?)(?::(\d+))?$/.exec(k)!;
      if (m[2]) port = Number(m[2]);
      return m[1] === '.' ? '' : m[1]!.replace(/\.$/, '').toLowerCase();
    });
    const block: ParsedCorefile['blocks'][number] = { zones, port, rewrites: [], hosts: null, kubernetes: null, kubernetesTtl: 5, forward: null, errors: false };
    for (const d of dirs) {
      const err = (msg: string) => `plugin/${d.name}: ${path}:${d.line} - Error during parsing: ${msg}`;
      if (d.name === 'forward') {
        if (d.args.length < 2) return { ...res, blocks: [], error: err(`Wrong argument count or unexpected line ending after '${d.args.length ? d.args[d.args.length - 1] : 'forward'}'`) };
        block.forward = { from: d.args[0] === '.' ? '' : d.args[0]!.replace(/\.$/, '').toLowerCase(), to: d.args.slice(1) };
      } else if (d.name === 'kubernetes') {
        block.kubernetes = d.args.map((z) => z.replace(/\.$/, '').toLowerCase());
        const ttl = d.body.find((b) => b.args[0] === 'ttl');
        block.kubernetesTtl = ttl ? Number(ttl.args[1] ?? 5) : 5;
      } else if (d.name === 'hosts') {
        const entries: { ip: string; names: string[] }[] = [];
        let fall = false;
        let ttl = 3600;
        for (const b of d.body) {
          if (b.args[0] === 'fallthrough') fall = true;
          else if (b.args[0] === 'ttl') ttl = Number(b.args[1] ?? 3600);
          else if (b.args[0] === 'reload' || b.args[0] === 'no_reverse') continue;
          else if (/^[\d.]+$|:/.test(b.args[0]!)) {
            if (b.args.length < 2) continue;
            entries.push({ ip: b.args[0]!, names: b.args.slice(1).map((n) => n.replace(/\.$/, '').toLowerCase()) });
          } else return { ...res, blocks: [], error: err(`unknown property '${b.args[0]}'`) };
        }
        block.hosts = { entries, ttl, fallthrough: fall };
      } else if (d.name === 'rewrite') {
        const a = [...d.args];
        let stop = true;
        if (a[0] === 'continue' || a[0] === 'stop') stop = a.shift() === 'stop';
        if (a[0] !== 'name') continue;
        a.shift();
        let type: CoreDnsBlock['rewrites'][number]['type'] = 'exact';
        if (['exact', 'suffix', 'prefix', 'substring', 'regex'].includes(a[0] ?? '')) type = a.shift() as typeof type;
        if (a.length < 2) return { ...res, blocks: [], error: err(`Wrong argument count or unexpected line ending after '${a[a.length - 1] ?? 'name'}'`) };
        block.rewrites.push({ type, from: a[0]!, to: a[1]!, stop });
      } else if (d.name === 'reload') {
        const m = /^(\d+)(ms|s|m)$/.exec(d.args[0] ?? '');
        if (m) res.reloadMs = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
      } else if (d.name === 'loop') res.loop = true;
      else if (d.name === 'errors') block.errors = true;
    }
    res.blocks.push(block);
  }
  return res;
}

/** The blocks the server runs on port 53, their forward targets as addresses (`/etc/resolv.conf` read in the pod). */
export function runtimeBlocks(world: World, host: HostId, nsId: NsId, parsed: ParsedCorefile): CoreDnsBlock[] {
  const rc = readFileInNs(world, host, nsId, '/etc/resolv.conf') ?? '';
  const resolv = [...rc.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
  return parsed.blocks
    .filter((b) => b.port === 53)
    .map(({ port: _port, ...b }) => ({ ...b, forward: b.forward ? { from: b.forward.from, to: b.forward.to.flatMap((t) => (t === '/etc/resolv.conf' ? resolv : [t.replace(/^dns:\/\//, '').replace(/:53$/, '')])) } : null }));
}

// the reload controller hashes the same Corefile on every pass: a pure function of the text, kept
const shas = new Map<string, string>();
function sha512hex(text: string): string {
  let h = shas.get(text);
  if (h === undefined) {
    if (shas.size > 64) shas.clear();
    h = [...sha512(new TextEncoder().encode(text))].map((b) => b.toString(16).padStart(2, '0')).join('');
    shas.set(text, h);
  }
  return h;
}

/** Give a started CoreDNS process its Corefile's blocks and the reload plugin's state. */
export function loadCorefile(world: World, host: HostId, nsId: NsId, proc: Process, corefile: string, parsed: ParsedCorefile): void {
  if (proc.role?.kind !== 'dns') return;
  proc.role.config.corefile = runtimeBlocks(world, host, nsId, parsed);
  proc.role.config.reload = { sha: sha512hex(corefile), intervalMs: parsed.reloadMs };
}

// ---------------------------------------------------------------- the reload plugin

interface RunningCoreDns {
  proc: Process;
  host: HostId;
  nsId: NsId;
  log: (t: number, text: string) => void;
  corefile: string | null;
}

function runningCoreDns(api: Api, world: World): RunningCoreDns[] {
  const rt = kubeletRuntime(api);
  const out: RunningCoreDns[] = [];
  for (const pod of api.scan('pods', 'kube-system', { labelSelector: 'k8s-app=kube-dns' }) as any[]) {
    const pr = rt.pods[pod.metadata.uid];
    const c = pr?.containers.find((x) => x.name === 'coredns' && x.state === 'running');
    const host = pr ? rt.nodes[pr.node]?.host : undefined;
    if (!pr || !c || !host || pr.nsId === null || !world.state.hosts[host]) continue;
    const proc = world.host(host).processes.find((p) => c.pids.includes(p.pid) && p.role?.kind === 'dns');
    if (!proc) continue;
    const vol = (pod.spec?.volumes ?? []).find((v: any) => v.configMap);
    const cm = vol ? (api.peek('configmaps', 'kube-system', vol.configMap.name) as any) : null;
    const key = vol?.configMap?.items?.find((it: any) => it.path === 'Corefile')?.key ?? 'Corefile';
    out.push({ proc, host, nsId: pr.nsId, corefile: cm?.data?.[key] ?? null, log: (t, text) => c.log.push({ t, s: 'stdout', text }) });
  }
  return out;
}

/**
 * The reload plugin of each running CoreDNS: a changed Corefile (the ConfigMap
 * its volume shows) is loaded once the plugin's interval has passed; a
 * Corefile CoreDNS refuses leaves the running configuration in place and
 * logs `[ERROR] Restart failed: ...` (new pods crash on it at start).
 */
// per World: the CoreDNS pods and ConfigMaps as of the last pass, and the earliest reload then due; while
// neither changed and that time has not come, a pass has nothing to do (a cache: losing it costs one pass)
const reloadSeen = new WeakMap<World, { sig: string; due: number | null }>();
const reloadSig = (api: Api): string => `${api.lastWrite('pods')}|${api.lastWrite('configmaps')}`;

function reloadDue(api: Api, world: World): number | null {
  let next: number | null = null;
  const now = api.now();
  for (const r of runningCoreDns(api, world)) {
    const cfg = r.proc.role?.kind === 'dns' ? r.proc.role.config : null;
    const due = cfg?.reload?.dueAt;
    if (due !== undefined && due > now && (next === null || due < next)) next = due;
  }
  return next;
}

export const COREDNS_RELOAD: Controller = {
  name: 'coredns-reload',
  reconcile({ api, world }) {
    const now = api.now();
    const seen = reloadSeen.get(world);
    if (seen && seen.sig === reloadSig(api) && (seen.due === null || seen.due > now)) return;
    reloadPass(api, world, now);
    reloadSeen.set(world, { sig: reloadSig(api), due: reloadDue(api, world) });
  },
  nextWake({ api, world }) {
    const seen = reloadSeen.get(world);
    if (seen && seen.sig === reloadSig(api)) return seen.due !== null && seen.due > api.now() ? seen.due : reloadDue(api, world);
    return reloadDue(api, world);
  },
};

/** The live cluster's records for every CoreDNS process of a world that has one, and the reload plugin's controller (src/k8s/install.ts). */
export function registerCoreDns(): void {
  setClusterDnsRecords((world, cfg) => (clusterState(world) ? clusterRecords(internalApi(world), cfg.localDomains[0] ?? 'cluster.local', cfg.localTtl ?? 30) : null));
  setDnsServerLog(coreDnsLog);
  registerController(COREDNS_RELOAD);
}

/** A CoreDNS process's log line (the errors plugin's) into its container's log, at the present instant. */
function coreDnsLog(world: World, proc: Process, line: string): void {
  const rt = (world.state.kube as { runtime?: { kubelet?: KubeletRuntime } } | undefined)?.runtime?.kubelet;
  if (!rt) return;
  for (const pr of Object.values(rt.pods)) {
    const host = rt.nodes[pr.node]?.host;
    if (!host || pr.nsId !== proc.ns) continue;
    const c = pr.containers.find((x) => x.state === 'running' && x.pids.includes(proc.pid));
    if (c) return containerLogLine(c, world.now(), line);
  }
}


function reloadPass(api: Api, world: World, now: number): void {
  for (const r of runningCoreDns(api, world)) {
    const cfg = r.proc.role?.kind === 'dns' ? r.proc.role.config : null;
    if (!cfg?.reload || r.corefile === null) continue;
    const sha = sha512hex(r.corefile);
    if (sha === cfg.reload.sha) {
      delete cfg.reload.pendingSha;
      delete cfg.reload.dueAt;
      continue;
    }
    if (cfg.reload.pendingSha !== sha) {
      cfg.reload.pendingSha = sha;
      cfg.reload.dueAt = now + cfg.reload.intervalMs;
    }
    if ((cfg.reload.dueAt ?? Infinity) > now) continue;
    const at = cfg.reload.dueAt!;
    const parsed = parseCorefileFull(r.corefile);
    if (parsed.error) {
      r.log(at, `[ERROR] Restart failed: ${parsed.error}`);
      cfg.reload.sha = sha;
    } else {
      r.log(at, '[INFO] Reloading');
      r.log(at, `[INFO] plugin/reload: Running configuration SHA512 = ${sha}`);
      loadCorefile(world, r.host, r.nsId, r.proc, r.corefile, parsed);
      r.log(at, '[INFO] Reloading complete');
    }
    delete cfg.reload?.pendingSha;
    delete cfg.reload?.dueAt;
  }
}
