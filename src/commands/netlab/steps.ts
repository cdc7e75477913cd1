// The step list of a packet trace as text: one line per decision the packet
// engine took (src/sim/trace.ts), for `netlab trace` and the map's step list.
import type { World } from '../../sim/world';
import type { TracePkt, TraceStep } from '../../sim/trace';
import { findChain, type RuleView } from '../../sim/netfilter';
import { buildMapModel, nsNodeId, type MapModel } from '../../sim/map-model';
import { clusterView } from './cluster-view';
import { saveRule } from '../iptables/save';
import type { NameDb } from '../iptables/names';

export interface StepText {
  /** where: the namespace's name (a host's root: its hostname; a pod's: the pod) */
  where: string;
  /** what kind of step, as the list shows it */
  what: string;
  text: string;
}

const WHAT: Record<TraceStep['kind'], string> = {
  send: 'send',
  route: 'route',
  tx: 'out',
  rx: 'in',
  arp: 'arp',
  fdb: 'bridge',
  nf: 'netfilter',
  nat: 'nat',
  vxlan: 'vxlan',
  forward: 'forward',
  deliver: 'deliver',
  icmp: 'icmp',
  drop: 'DROP',
};

const ICMP_NAMES: Record<number, string> = { 0: 'echo reply', 3: 'destination unreachable', 8: 'echo request', 11: 'time exceeded' };

export function pktText(p: TracePkt): string {
  if (p.proto === 'icmp') return `ICMP ${ICMP_NAMES[p.icmpType ?? -1] ?? `type ${p.icmpType ?? '?'}`} ${p.src} > ${p.dst}`;
  return `${p.proto.toUpperCase()} ${p.src}:${p.sport} > ${p.dst}:${p.dport}`;
}

/** Names of the namespaces, as the map labels them. */
export function nsLabels(world: World): Map<string, string> {
  return nsLabelsOf(buildMapModel(world, clusterView(world)));
}

export function nsLabelsOf(model: MapModel): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of model.nodes) if (n.id.startsWith('ns:')) m.set(n.id, n.label);
  return m;
}

function nfRule(world: World, s: TraceStep, db: NameDb): string {
  const nf = s.nf!;
  if (nf.rule === null) return '';
  const ns = world.state.namespaces[s.ns];
  const chain = ns ? findChain(ns, nf.table as 'filter', nf.path[nf.path.length - 1]!) : null;
  const r = chain?.rules[nf.rule - 1] as RuleView | undefined;
  return r ? ` (-A ${chain!.name}${saveRule(db, r)})` : '';
}

export function stepTexts(world: World, steps: TraceStep[], db: NameDb, labels = nsLabels(world)): StepText[] {
  return steps.map((s) => {
    const where = labels.get(nsNodeId(s.ns)) ?? s.ns;
    let text: string;
    switch (s.kind) {
      case 'send':
        text = `${s.pkt ? pktText(s.pkt) : ''}, route ${s.detail}${s.ct ? `, conntrack ${s.ct}` : ''}`;
        break;
      case 'route':
        text = `${s.pkt ? pktText(s.pkt) : ''} on ${s.ifname ?? '?'}, route ${s.detail}${s.ct ? `, conntrack ${s.ct}` : ''}`;
        break;
      case 'tx':
      case 'rx':
        text = `${s.ifname ?? '?'}${s.pkt ? ` ${pktText(s.pkt)} ttl ${s.pkt.ttl}` : ''}`;
        break;
      case 'nf': {
        const nf = s.nf!;
        text = `${nf.table} ${nf.path.join(' -> ')}: ${nf.rule === null ? 'policy' : `rule ${nf.rule}`} ${nf.target}${nfRule(world, s, db)}`;
        break;
      }
      case 'icmp':
        text = s.pkt ? `sends ${pktText(s.pkt)}` : s.detail;
        break;
      case 'deliver':
        text = s.pkt ? `${pktText(s.pkt)}, delivered here` : s.detail;
        break;
      default:
        text = s.detail;
    }
    return { where, what: WHAT[s.kind], text };
  });
}

/** The step list as `netlab trace` prints it. */
export function formatSteps(world: World, steps: TraceStep[], db: NameDb): string {
  if (steps.length === 0) return 'netlab trace: no packet was sent\n';
  const rows = stepTexts(world, steps, db);
  const w = Math.min(24, Math.max(...rows.map((r) => r.where.length)));
  const k = Math.max(...rows.map((r) => r.what.length));
  const num = String(rows.length).length;
  let out = 'netlab trace: the last packet exchange\n';
  rows.forEach((r, i) => {
    out += `${String(i + 1).padStart(num)}  ${r.where.padEnd(w)}  ${r.what.padEnd(k)}  ${r.text}\n`;
  });
  return out;
}
