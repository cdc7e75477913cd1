// kube-proxy in iptables mode: from Services and EndpointSlices to the
// rules a node's kernel holds. `kubeProxyRules()` writes what kube-proxy
// hands to iptables-restore (its own argument order, as in upstream's
// proxier tests); `kubeProxySync()` applies it to a namespace through
// src/sim's netfilter API, the way `iptables-restore --noflush` does (the
// chains it declares are flushed and refilled, stale service chains go),
// and keeps the jump rules in the built-in chains (iptables -C / -I).
//
// Facts followed (v1.32/v1.33, no nfacct on the node's kernel):
// - chain names: KUBE-SVC/EXT-<hash(ns/name:port + proto)>, KUBE-SEP-<hash(.. + ip:port)>;
// - endpoint i of n jumps with probability 1/(n-i) ("%0.10f"), the last one without;
// - a service port without ready endpoints REJECTs in filter KUBE-SERVICES
//   (KUBE-EXTERNAL-SERVICES for its NodePort / external IPs);
// - masquerade: "! -s <clusterCIDR>" to a cluster IP, everything coming in by
//   a NodePort or external IP (KUBE-EXT chain), hairpin from the endpoint itself.
// - traffic policies (proxier.go syncProxyRules): Local sends external (or
//   internal) traffic to KUBE-SVL-<hash>, this node's endpoints only; the
//   KUBE-EXT chain of an externalTrafficPolicy Local service short-circuits
//   pod and node-local traffic to KUBE-SVC, and without local endpoints the
//   filter table DROPs ("has no local endpoints"); the health check node port
//   is ACCEPTed in filter KUBE-NODEPORTS.
// Not modelled: session affinity (-m recent), loadBalancerSourceRanges (KUBE-FW).
import type { HostId, NsId, Rule, RuleMatch } from '../../sim/types';
import { parse as parseYaml } from 'yaml';
import { rfc3339Micro } from '../api/store';
import type { World } from '../../sim/world';
import { checkRule, getTable, newRule, nfCommit, sameRule, type ChainView, type NfOp, type NfTableName, type RuleView } from '../../sim/netfilter';
import { portProtoHash, sepChainName, servicePortName } from './hash';

// ---------------------------------------------------------------- inputs (shapes of kubernetes-types' V1Service / V1EndpointSlice)

export interface ServicePortLike {
  name?: string;
  port: number;
  protocol?: string;
  nodePort?: number;
  targetPort?: number | string;
}

export interface ServiceLike {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    type?: string;
    clusterIP?: string;
    ports?: ServicePortLike[];
    externalIPs?: string[];
    externalTrafficPolicy?: string;
    internalTrafficPolicy?: string;
    healthCheckNodePort?: number;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}

export interface EndpointSliceLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  addressType: string;
  endpoints: { addresses: string[]; conditions?: { ready?: boolean | null }; nodeName?: string }[];
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

export interface ProxyConfig {
  /** KubeProxyConfiguration clusterCIDR: traffic from outside it to a cluster IP is masqueraded */
  clusterCIDR?: string;
  /** the node kube-proxy runs on: its endpoints are the local ones (traffic policy Local) */
  nodeName?: string;
}

export interface RestoreTable {
  /** chains declared (":NAME - [0:0]"), in the order kube-proxy writes them */
  chains: string[];
  /** "-A CHAIN args..." lines, kube-proxy's argument order */
  rules: string[];
}

export type ProxyRules = Record<'filter' | 'nat', RestoreTable>;

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** kube-proxy's `%0.10f` of 1/n. */
export function probability(n: number): string {
  return (1 / n).toFixed(10);
}

function q(s: string): string {
  return /[\s"]/.test(s) ? `"${s}"` : s;
}

interface Ep {
  ip: string;
  port: number;
  nodeName?: string;
}

/** Ready IPv4 endpoints of one service port, sorted as kube-proxy's endpoints map ("ip:port" text). */
export function endpointsFor(svc: ServiceLike, port: ServicePortLike, slices: EndpointSliceLike[]): Ep[] {
  const ns = svc.metadata?.namespace ?? 'default';
  const name = svc.metadata?.name ?? '';
  const proto = (port.protocol ?? 'TCP').toUpperCase();
  const seen = new Set<string>();
  const out: Ep[] = [];
  for (const sl of slices) {
    if ((sl.metadata?.namespace ?? 'default') !== ns || sl.metadata?.labels?.[SERVICE_NAME_LABEL] !== name) continue;
    if (sl.addressType !== 'IPv4') continue;
    const sp = (sl.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP').toUpperCase() === proto);
    if (!sp || sp.port == null) continue;
    for (const e of sl.endpoints) {
      if (e.conditions?.ready === false) continue;
      const ip = e.addresses[0];
      if (!ip) continue;
      const key = `${ip}:${sp.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e.nodeName ? { ip, port: sp.port, nodeName: e.nodeName } : { ip, port: sp.port });
    }
  }
  return out.sort((a, b) => {
    const x = `${a.ip}:${a.port}`;
    const y = `${b.ip}:${b.port}`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** The restore input kube-proxy writes for these Services and EndpointSlices. */
export function kubeProxyRules(services: ServiceLike[], slices: EndpointSliceLike[], cfg: ProxyConfig = {}): ProxyRules {
  const filter: RestoreTable = { chains: ['KUBE-NODEPORTS', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FIREWALL', 'KUBE-FORWARD', 'KUBE-PROXY-FIREWALL'], rules: [] };
  const nat: RestoreTable = { chains: ['KUBE-NODEPORTS', 'KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING'], rules: [] };
  const natChains = new Set<string>();
  const natBody: string[] = [];
  const natServices: string[] = [];
  const natNodePorts: string[] = [];

  type Port = { svc: ServiceLike; port: ServicePortLike; spn: string };
  const ports: Port[] = [];
  for (const svc of services) {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') continue;
    const cip = spec.clusterIP;
    if (!cip || cip === 'None') continue;
    for (const port of spec.ports ?? []) {
      ports.push({ svc, port, spn: servicePortName(svc.metadata?.namespace ?? 'default', svc.metadata?.name ?? '', port.name ?? '') });
    }
  }
  ports.sort((a, b) => (a.spn < b.spn ? -1 : a.spn > b.spn ? 1 : (a.port.protocol ?? 'TCP') < (b.port.protocol ?? 'TCP') ? -1 : 1));

  for (const { svc, port, spn } of ports) {
    const spec = svc.spec ?? {};
    const cip = spec.clusterIP!;
    const protocol = (port.protocol ?? 'TCP').toLowerCase();
    const hash = portProtoHash(spn, protocol);
    const clusterChain = `KUBE-SVC-${hash}`;
    const localChain = `KUBE-SVL-${hash}`;
    const extChain = `KUBE-EXT-${hash}`;
    const eps = endpointsFor(svc, port, slices);
    const localEps = eps.filter((e) => cfg.nodeName !== undefined && e.nodeName === cfg.nodeName);
    const lbIPs = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((x): x is string => !!x);
    const nodePort = spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? port.nodePort : undefined;
    const externalIPs = spec.externalIPs ?? [];
    const external = !!nodePort || externalIPs.length > 0 || lbIPs.length > 0;
    const pm = `-m ${protocol} -p ${protocol}`;
    // the traffic policies (proxy.CategorizeEndpoints): Local uses this node's endpoints only
    const extLocal = external && spec.externalTrafficPolicy === 'Local';
    const intLocal = spec.internalTrafficPolicy === 'Local';
    const hasEndpoints = eps.length > 0;
    const usesCluster = hasEndpoints && (!intLocal || external);
    const usesLocal = localEps.length > 0 && (intLocal || extLocal);
    const internalChain = intLocal ? localChain : clusterChain;
    const hasInternal = hasEndpoints && (!intLocal || localEps.length > 0);
    const externalPolicyChain = extLocal ? localChain : clusterChain;
    const hasExternal = hasEndpoints && (!extLocal || localEps.length > 0);
    const noEndpoints = q(`${spn} has no endpoints`);
    const noLocal = q(`${spn} has no local endpoints`);
    const intFilter = !hasEndpoints ? { comment: noEndpoints, target: 'REJECT' } : { comment: noLocal, target: 'DROP' };
    const extFilter = intFilter;

    if (hasInternal) natServices.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} cluster IP`)} ${pm} -d ${cip} --dport ${port.port} -j ${internalChain}`);
    else filter.rules.push(`-A KUBE-SERVICES -m comment --comment ${intFilter.comment} ${pm} -d ${cip} --dport ${port.port} -j ${intFilter.target}`);
    for (const eip of externalIPs) {
      if (hasEndpoints) natServices.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} external IP`)} ${pm} -d ${eip} --dport ${port.port} -j ${extChain}`);
      if (!hasExternal) filter.rules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extFilter.comment} ${pm} -d ${eip} --dport ${port.port} -j ${extFilter.target}`);
    }
    for (const lb of lbIPs) if (hasEndpoints) natServices.push(`-A KUBE-SERVICES -m comment --comment ${q(`${spn} loadbalancer IP`)} ${pm} -d ${lb} --dport ${port.port} -j ${extChain}`);
    if (!hasExternal) for (const lb of lbIPs) filter.rules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extFilter.comment} ${pm} -d ${lb} --dport ${port.port} -j ${extFilter.target}`);
    if (nodePort) {
      if (hasEndpoints) natNodePorts.push(`-A KUBE-NODEPORTS -m comment --comment ${q(spn)} ${pm} --dport ${nodePort} -j ${extChain}`);
      if (!hasExternal) filter.rules.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extFilter.comment} -m addrtype --dst-type LOCAL ${pm} --dport ${nodePort} -j ${extFilter.target}`);
    }
    // whether this node has local endpoints or not, its health check node port is let in
    if (spec.healthCheckNodePort) filter.rules.push(`-A KUBE-NODEPORTS -m comment --comment ${q(`${spn} health check node port`)} -m tcp -p tcp --dport ${spec.healthCheckNodePort} -j ACCEPT`);

    if (hasInternal && cfg.clusterCIDR) natBody.push(`-A ${internalChain} -m comment --comment ${q(`${spn} cluster IP`)} ${pm} -d ${cip} --dport ${port.port} ! -s ${cfg.clusterCIDR} -j KUBE-MARK-MASQ`);
    if (hasEndpoints && external) {
      natChains.add(extChain);
      if (!extLocal) natBody.push(`-A ${extChain} -m comment --comment ${q(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
      else {
        // pods and the node itself reach the service whatever the policy; others keep their source address
        if (cfg.clusterCIDR) natBody.push(`-A ${extChain} -m comment --comment ${q(`pod traffic for ${spn} external destinations`)} -s ${cfg.clusterCIDR} -j ${clusterChain}`);
        natBody.push(`-A ${extChain} -m comment --comment ${q(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
        natBody.push(`-A ${extChain} -m comment --comment ${q(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${clusterChain}`);
      }
      if (hasExternal) natBody.push(`-A ${extChain} -j ${externalPolicyChain}`);
    }
    const toEndpoints = (chain: string, list: Ep[]) =>
      list.forEach((ep, i) => {
        const left = list.length - i;
        const stat = left > 1 ? ` -m statistic --mode random --probability ${probability(left)}` : '';
        natBody.push(`-A ${chain} -m comment --comment ${q(`${spn} -> ${ep.ip}:${ep.port}`)}${stat} -j ${sepChainName(spn, protocol, `${ep.ip}:${ep.port}`)}`);
      });
    if (usesCluster) {
      natChains.add(clusterChain);
      toEndpoints(clusterChain, eps);
    }
    if (usesLocal) {
      natChains.add(localChain);
      toEndpoints(localChain, localEps);
    }
    for (const ep of usesCluster ? eps : usesLocal ? localEps : []) {
      const sep = sepChainName(spn, protocol, `${ep.ip}:${ep.port}`);
      natChains.add(sep);
      natBody.push(`-A ${sep} -m comment --comment ${q(spn)} -s ${ep.ip} -j KUBE-MARK-MASQ`);
      natBody.push(`-A ${sep} -m comment --comment ${q(spn)} ${pm} -j DNAT --to-destination ${ep.ip}:${ep.port}`);
    }
  }

  filter.rules.push(
    '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  );
  nat.chains.push(...[...natChains].sort());
  nat.rules.push(
    ...natNodePorts,
    ...natServices,
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ...natBody,
  );
  return { filter, nat };
}

// ---------------------------------------------------------------- the rules as the kernel stores them

function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2]!);
  return out;
}

function cidr(a: string): string {
  return a.includes('/') ? a : `${a}/32`;
}

/** xt_statistic keeps the probability as a fraction of 2^31: what iptables prints back. */
export function storedProbability(v: number): string {
  return (Math.round(0x80000000 * v) / 0x80000000).toFixed(11);
}

/** Parse one "-A CHAIN ..." line of the restore input (the subset kube-proxy and flannel write) into a rule. */
export function parseRestoreRule(line: string): { chain: string; rule: Rule } {
  const t = tokens(line);
  if (t[0] !== '-A' || !t[1]) throw new Error(`not a rule: ${line}`);
  const rule: Rule = newRule();
  let cur: RuleMatch | null = null;
  let inv = false;
  let inTarget = false;
  for (let i = 2; i < t.length; i++) {
    const a = t[i]!;
    if (a === '!') {
      inv = true;
      continue;
    }
    const val = (): string => t[++i] ?? '';
    if (inTarget) {
      const key = a.replace(/^--/, '');
      if (rule.target === 'MARK') {
        const n = Number(val());
        // --or-mark V = --set-xmark V/V, --xor-mark V = --set-xmark V/0x0
        rule.targetOptions['set-xmark'] = key === 'or-mark' ? `0x${n.toString(16)}/0x${n.toString(16)}` : key === 'xor-mark' ? `0x${n.toString(16)}/0x0` : `0x${n.toString(16)}`;
      } else if (key === 'random-fully' || key === 'random') rule.targetOptions[key] = '';
      else rule.targetOptions[key] = val();
      continue;
    }
    switch (a) {
      case '-j':
        rule.target = val();
        inTarget = true;
        if (rule.target === 'REJECT') rule.targetOptions['reject-with'] = 'icmp-port-unreachable';
        break;
      case '-p':
        rule.protocol = val();
        rule.protocolInvert = inv;
        break;
      case '-s':
        rule.source = cidr(val());
        rule.sourceInvert = inv;
        break;
      case '-d':
        rule.destination = cidr(val());
        rule.destinationInvert = inv;
        break;
      case '-i':
        rule.inIface = val();
        rule.inIfaceInvert = inv;
        break;
      case '-o':
        rule.outIface = val();
        rule.outIfaceInvert = inv;
        break;
      case '-m':
        cur = { name: val(), options: {} };
        if (cur.name === 'tcp' || cur.name === 'udp' || cur.name === 'mark' || cur.name === 'conntrack') cur.invert = {};
        rule.matches.push(cur);
        break;
      default: {
        if (!a.startsWith('--') || !cur) throw new Error(`unexpected ${a} in: ${line}`);
        const key = a.slice(2);
        let v = val();
        if (key === 'probability') v = storedProbability(Number(v));
        cur.options[key] = v;
        if (inv) (cur.invert ??= {})[key === 'mode' ? 'mode' : key] = true;
      }
    }
    inv = false;
  }
  // the tcp/udp match's protocol comes from -p, which kube-proxy writes after -m
  return { chain: t[1], rule };
}

// ---------------------------------------------------------------- jump rules in the built-in chains

interface Jump {
  table: NfTableName;
  chain: string;
  from: string;
  comment: string | null;
  ctNew: boolean;
  /** prepended (iptables -I) unless appended */
  append?: boolean;
}

/** kube-proxy's iptablesJumpChains, each ensured with -C then -I (so the last one ends up first). */
const JUMPS: Jump[] = [
  { table: 'filter', chain: 'KUBE-EXTERNAL-SERVICES', from: 'INPUT', comment: 'kubernetes externally-visible service portals', ctNew: true },
  { table: 'filter', chain: 'KUBE-EXTERNAL-SERVICES', from: 'FORWARD', comment: 'kubernetes externally-visible service portals', ctNew: true },
  { table: 'filter', chain: 'KUBE-NODEPORTS', from: 'INPUT', comment: 'kubernetes health check service ports', ctNew: false },
  { table: 'filter', chain: 'KUBE-SERVICES', from: 'FORWARD', comment: 'kubernetes service portals', ctNew: true },
  { table: 'filter', chain: 'KUBE-SERVICES', from: 'OUTPUT', comment: 'kubernetes service portals', ctNew: true },
  { table: 'filter', chain: 'KUBE-FORWARD', from: 'FORWARD', comment: 'kubernetes forwarding rules', ctNew: false },
  { table: 'filter', chain: 'KUBE-PROXY-FIREWALL', from: 'INPUT', comment: 'kubernetes load balancer firewall', ctNew: true },
  { table: 'filter', chain: 'KUBE-PROXY-FIREWALL', from: 'OUTPUT', comment: 'kubernetes load balancer firewall', ctNew: true },
  { table: 'filter', chain: 'KUBE-PROXY-FIREWALL', from: 'FORWARD', comment: 'kubernetes load balancer firewall', ctNew: true },
  { table: 'nat', chain: 'KUBE-SERVICES', from: 'OUTPUT', comment: 'kubernetes service portals', ctNew: false },
  { table: 'nat', chain: 'KUBE-SERVICES', from: 'PREROUTING', comment: 'kubernetes service portals', ctNew: false },
  { table: 'nat', chain: 'KUBE-POSTROUTING', from: 'POSTROUTING', comment: 'kubernetes postrouting rules', ctNew: false },
  { table: 'filter', chain: 'KUBE-FIREWALL', from: 'INPUT', comment: null, ctNew: false, append: true },
  { table: 'filter', chain: 'KUBE-FIREWALL', from: 'OUTPUT', comment: null, ctNew: false, append: true },
];

const jumpRules = new Map<Jump, Rule>();
function jumpRule(j: Jump): Rule {
  let r = jumpRules.get(j);
  if (!r) {
    const args = `-A ${j.from}${j.ctNew ? ' -m conntrack --ctstate NEW' : ''}${j.comment ? ` -m comment --comment "${j.comment}"` : ''} -j ${j.chain}`;
    r = parseRestoreRule(args).rule;
    jumpRules.set(j, r);
  }
  return r;
}

const SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-/;

/** The user chains of a table in the kernel, by name. */
function userChains(world: World, nsId: NsId, table: NfTableName): Map<string, ChainView> {
  const out = new Map<string, ChainView>();
  for (const c of getTable(world.ns(nsId), table)?.chains ?? []) if (!c.builtin) out.set(c.name, c);
  return out;
}

/**
 * kubelet's chains (KUBE-IPTABLES-HINT, KUBE-KUBELET-CANARY), created when
 * the kubelet starts on a node (its iptables "canary" and the hint for the
 * iptables mode); kube-proxy adds KUBE-PROXY-CANARY the same way.
 */
export function ensureCanaries(world: World, nsId: NsId, owner: 'kubelet' | 'kube-proxy'): void {
  const want: [NfTableName, string][] =
    owner === 'kubelet'
      ? [['mangle', 'KUBE-IPTABLES-HINT'], ['mangle', 'KUBE-KUBELET-CANARY'], ['nat', 'KUBE-KUBELET-CANARY'], ['filter', 'KUBE-KUBELET-CANARY']]
      : [['mangle', 'KUBE-PROXY-CANARY'], ['nat', 'KUBE-PROXY-CANARY'], ['filter', 'KUBE-PROXY-CANARY']];
  for (const [table, chain] of want) if (!getTable(world.ns(nsId), table)?.chains.some((c) => c.name === chain)) nfCommit(world, nsId, { table, ops: [{ op: 'newChain', chain }] });
}

// Parsed restore lines (a pure function of the text; the kernel copies what it is given).
const parsedLines = new Map<string, { chain: string; rule: Rule }>();
function parsedLine(line: string): { chain: string; rule: Rule } {
  let p = parsedLines.get(line);
  if (!p) {
    if (parsedLines.size > 50_000) parsedLines.clear();
    p = parseRestoreRule(line);
    parsedLines.set(line, p);
  }
  return p;
}

// What this kube-proxy last wrote into each kernel chain object: its restore
// lines and the rule objects the kernel then held. A chain whose rules are
// still those objects (counters move in place; iptables -R/-D/-I/-F replace
// or remove them) and whose lines are unchanged needs no rewrite. A chain not
// seen yet (a restored World) is compared rule by rule.
const written = new WeakMap<ChainView, { text: string; rules: readonly RuleView[] }>();

function chainCurrent(c: ChainView | undefined, lines: string[]): boolean {
  if (!c) return false;
  const text = lines.join('\n');
  const rec = written.get(c);
  if (rec && rec.text === text && rec.rules.length === c.rules.length && rec.rules.every((r, i) => r === c.rules[i])) return true;
  if (c.rules.length !== lines.length || !lines.every((l, i) => sameRule(c.rules[i] as Rule, parsedLine(l).rule))) return false;
  written.set(c, { text, rules: [...c.rules] });
  return true;
}

/**
 * One sync of kube-proxy on a node: write the rules for these Services and
 * EndpointSlices into the namespace (the node's root namespace). As
 * kube-proxy's partial syncs (v1.28+), only the chains whose rules changed
 * are flushed and refilled (iptables-restore --noflush), so the counters of
 * the others keep counting; stale service chains go.
 */
export function kubeProxySyncNs(world: World, nsId: NsId, services: ServiceLike[], slices: EndpointSliceLike[], cfg: ProxyConfig = {}): void {
  const ns = world.ns(nsId);
  ensureCanaries(world, nsId, 'kube-proxy');
  const rules = kubeProxyRules(services, slices, cfg);
  // the chains first, so that the jumps in the built-in chains find them
  for (const table of ['filter', 'nat'] as const) {
    const have = userChains(world, nsId, table);
    const missing = rules[table].chains.filter((c) => !have.has(c));
    if (missing.length) nfCommit(world, nsId, { table, ops: missing.map((chain) => ({ op: 'newChain', chain }) as NfOp) });
  }
  for (const j of JUMPS) {
    const r = jumpRule(j);
    if (checkRule(ns, j.table, j.from, r)) continue;
    nfCommit(world, nsId, { table: j.table, ops: [j.append ? { op: 'append', chain: j.from, rule: r } : { op: 'insert', chain: j.from, num: 1, rule: r }] });
  }
  // then each table in one transaction, as iptables-restore --noflush does
  for (const table of ['filter', 'nat'] as const) {
    const t = rules[table];
    const byChain = new Map<string, string[]>(t.chains.map((c) => [c, []]));
    for (const line of t.rules) byChain.get(parsedLine(line).chain)!.push(line);
    const have = userChains(world, nsId, table);
    const changed = t.chains.filter((c) => !chainCurrent(have.get(c), byChain.get(c)!));
    const stale = [...have.keys()].filter((c) => SERVICE_CHAIN.test(c) && !byChain.has(c));
    if (!changed.length && !stale.length) continue;
    const ops: NfOp[] = [];
    for (const c of [...changed, ...stale]) ops.push({ op: 'flush', chain: c });
    for (const c of changed) for (const line of byChain.get(c)!) ops.push({ op: 'append', chain: c, rule: parsedLine(line).rule });
    for (const c of stale) ops.push({ op: 'deleteChain', chain: c });
    nfCommit(world, nsId, { table, ops });
    const after = userChains(world, nsId, table);
    for (const c of changed) {
      const k = after.get(c);
      if (k) written.set(k, { text: byChain.get(c)!.join('\n'), rules: [...k.rules] });
    }
  }
}

// ---------------------------------------------------------------- the kube-proxy container

/** A klog header line: `I1126 15:00:00.123456       1 file.go:N] msg` at simulated ms `now`. */
export function klog(level: 'I' | 'W' | 'E', now: number, where: string, msg: string): string {
  const iso = rfc3339Micro(now); // 2026-11-26T15:00:00.123456Z
  return `${level}${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 26)}       1 ${where}] ${msg}`;
}

export interface KubeProxyStart {
  ok: boolean;
  /** the container's log (klog lines) */
  log: string;
  mode: string;
  clusterCIDR: string | null;
}

/**
 * kube-proxy starting with `--config=PATH`: `configText` is that file as the
 * container sees it (null: missing). A missing or unreadable config stops it
 * with the real "command failed" line (→ CrashLoopBackOff); otherwise the
 * start-up lines of the iptables proxier.
 */
export function kubeProxyStart(configText: string | null, o: { now: number; nodeIP: string; configPath?: string; version?: string }): KubeProxyStart {
  const path = o.configPath ?? '/var/lib/kube-proxy/config.conf';
  const fail = (err: string): KubeProxyStart => ({ ok: false, log: `${klog('E', o.now, 'run.go:72', `"command failed" err=${JSON.stringify(err)}`)}\n`, mode: '', clusterCIDR: null });
  if (configText === null) return fail(`failed complete: open ${path}: no such file or directory`);
  let doc: Record<string, unknown>;
  try {
    const v = parseYaml(configText) as unknown;
    doc = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch (e) {
    return fail(`failed complete: failed to decode: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const mode = typeof doc.mode === 'string' ? doc.mode : '';
  if (!['', 'iptables', 'ipvs', 'nftables'].includes(mode)) {
    return fail(`invalid configuration: KubeProxyConfiguration.Mode: Invalid value: ${JSON.stringify(mode)}: must be iptables, ipvs, nftables or blank (blank means the best-known proxy for this platform)`);
  }
  const clusterCIDR = typeof doc.clusterCIDR === 'string' && doc.clusterCIDR ? doc.clusterCIDR : null;
  const m = mode || 'iptables';
  const t = o.now;
  const lines = [
    klog('I', t, 'server_linux.go:66', `"Using ${m} proxy"`),
    klog('I', t + 120, 'server.go:677', `"Successfully retrieved node IP(s)" IPs=["${o.nodeIP}"]`),
    klog('E', t + 140, 'server.go:234', '"Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"'),
    klog('I', t + 160, 'server.go:243', '"kube-proxy running in dual-stack mode" primary ipFamily="IPv4"'),
    klog('I', t + 161, 'server_linux.go:169', `"Using ${m} Proxier"`),
    klog('I', t + 170, 'server.go:483', `"Version info" version="${o.version ?? 'v1.33.4'}"`),
    klog('I', t + 180, 'config.go:199', '"Starting service config controller"'),
    klog('I', t + 181, 'config.go:105', '"Starting endpoint slice config controller"'),
    klog('I', t + 182, 'config.go:329', '"Starting node config controller"'),
    klog('I', t + 290, 'shared_informer.go:320', '"Caches are synced" controller="service config"'),
    klog('I', t + 291, 'shared_informer.go:320', '"Caches are synced" controller="endpoint slice config"'),
    klog('I', t + 292, 'shared_informer.go:320', '"Caches are synced" controller="node config"'),
  ];
  return { ok: true, log: lines.join('\n') + '\n', mode: m, clusterCIDR };
}

/**
 * One sync of a node's kube-proxy (the node's root namespace): iptables mode
 * writes the rules; other modes are not modelled and leave iptables alone.
 */
export function kubeProxySync(world: World, host: HostId, s: { services: ServiceLike[]; slices: EndpointSliceLike[]; nodeIP?: string; nodeName?: string; clusterCIDR?: string | null; mode?: string }): void {
  if (s.mode && s.mode !== 'iptables') return;
  const cfg: ProxyConfig = {};
  if (s.clusterCIDR) cfg.clusterCIDR = s.clusterCIDR;
  if (s.nodeName) cfg.nodeName = s.nodeName;
  kubeProxySyncNs(world, world.host(host).rootNs, s.services, s.slices, cfg);
}
