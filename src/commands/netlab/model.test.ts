// The network map's model (src/sim/map-model.ts) for every scenario, and the
// path a trace takes through it for each kind of hop.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario, scenarios } from '../../labs/scenarios/index';
import { buildMapModel, tracePath, type MapModel } from '../../sim/map-model';
import { lastExchange, traceStart, traceStop, type TraceStep } from '../../sim/trace';
import { clusterView } from './cluster-view';
import type { World } from '../../sim/world';

const model = (w: World): MapModel => buildMapModel(w, clusterView(w));

function checkWellFormed(w: World, m: MapModel): void {
  const ids = new Set(m.nodes.map((n) => n.id));
  expect(ids.size).toBe(m.nodes.length);
  const linkIds = new Set(m.links.map((l) => l.id));
  expect(linkIds.size).toBe(m.links.length);
  for (const l of m.links) {
    expect(ids.has(l.from), `${l.id} from ${l.from}`).toBe(true);
    expect(ids.has(l.to), `${l.id} to ${l.to}`).toBe(true);
  }
  let vethEnds = 0;
  for (const ns of Object.values(w.state.namespaces)) {
    expect(ids.has(`ns:${ns.id}`)).toBe(true);
    for (const l of ns.links) {
      if (l.kind === 'veth' && l.peer) vethEnds++;
      if (l.kind === 'bridge') {
        const br = m.nodes.find((n) => n.id === `br:${ns.id}/${l.name}`)!;
        expect(br.ifaces.map((i) => i.name).sort()).toEqual(ns.links.filter((p) => p.master === l.ifindex).map((p) => p.name).sort());
      }
    }
  }
  expect(m.links.filter((l) => l.kind === 'veth')).toHaveLength(vethEnds / 2);
}

describe('the map model', () => {
  for (const [name, def] of Object.entries(scenarios)) {
    it(`${name}: every namespace, bridge and cable, ends that exist, built without changing the world`, async () => {
      const s = await Session.create({ scenario: def, seed: 1 });
      const before = s.world.snapshot();
      const m = model(s.world);
      expect(s.world.snapshot()).toBe(before);
      checkWellFormed(s.world, m);
      expect(JSON.stringify(model(s.world))).toBe(JSON.stringify(m));
      const view = clusterView(s.world);
      if (view) {
        // every pod with its own namespace is a box named after it; every Service with endpoints is linked to them
        for (const p of view.pods) expect(m.nodes.some((n) => n.kind === 'pod' && n.label === p.name), p.name).toBe(true);
        for (const svc of view.services) {
          const links = m.links.filter((l) => l.from === `svc:${svc.namespace}/${svc.name}`);
          expect(links.length, svc.name).toBe(new Set(svc.endpoints.filter((ip) => Object.values(s.world.state.namespaces).some((ns) => ns.addrs.some((a) => a.local === ip)))).size);
        }
      }
    });
  }

  it('the namespace lab: four namespaces on v-net-0, the bridge in the host, the cable to the LAN, NAT badges', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-solved'), seed: 1 });
    const m = model(s.world);
    const root = s.world.state.hosts['controlplane']!.rootNs;
    const br = `br:${root}/v-net-0`;
    for (const n of ['red', 'blue', 'green', 'yellow']) {
      const node = m.nodes.find((x) => x.kind === 'netns' && x.label === n)!;
      expect(node.group).toBe('controlplane');
      expect(node.ifaces.map((i) => i.name)).toContain(`veth-${n}`);
      expect(m.links.find((l) => l.kind === 'veth' && l.label === `veth-${n} — veth-${n}-br`)).toMatchObject({ from: node.id, to: br, down: false });
    }
    expect(m.nodes.find((n) => n.id === br)!.ifaces.map((i) => i.name)).toEqual(['veth-red-br', 'veth-blue-br', 'veth-green-br', 'veth-yellow-br']);
    expect(m.links).toContainEqual(expect.objectContaining({ kind: 'bridge-local', from: `ns:${root}`, to: br }));
    const host = m.nodes.find((n) => n.id === `ns:${root}`)!;
    expect(host).toMatchObject({ kind: 'host', label: 'controlplane', badges: ['nat: 1 DNAT, 1 MASQUERADE'] });
    expect(host.routes).toContain('192.168.15.0/24 dev v-net-0');
    expect(m.links.filter((l) => l.kind === 'segment').map((l) => l.to)).toEqual(['seg:lan-cable', 'seg:lan-cable']);
  });

  it('state shows: a down link is greyed, an up veth whose peer is down is NO-CARRIER; a new namespace keeps every id', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-solved'), seed: 1 });
    const before = model(s.world);
    await s.run('ip netns exec red ip link set veth-red down');
    await s.run('ip netns add purple');
    const m = model(s.world);
    for (const n of before.nodes) expect(m.nodes.some((x) => x.id === n.id)).toBe(true);
    const red = m.nodes.find((n) => n.label === 'red')!;
    expect(red.ifaces.find((i) => i.name === 'veth-red')!.state).toBe('DOWN');
    expect(m.links.find((l) => l.label === 'veth-red — veth-red-br')!.down).toBe(true);
    const root = s.world.state.hosts['controlplane']!.rootNs;
    expect(m.nodes.find((n) => n.id === `br:${root}/v-net-0`)!.ifaces.find((i) => i.name === 'veth-red-br')!.state).toBe('NO-CARRIER');
    expect(m.nodes.find((n) => n.label === 'purple')).toMatchObject({ kind: 'netns', ifaces: [] });
  });
});

async function traced(s: Session, line: string): Promise<TraceStep[]> {
  const rec = traceStart();
  try {
    await s.run(line);
  } finally {
    traceStop(rec);
  }
  return lastExchange(rec.steps);
}

describe('the path of a trace on the map', () => {
  it('bridge: red -> veth-red -> v-net-0 -> veth-blue-br -> blue, and back', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-solved'), seed: 1 });
    const m = model(s.world);
    const path = tracePath(m, await traced(s, 'ip netns exec red ping -c1 192.168.15.3')).flat();
    const id = (label: string) => m.nodes.find((n) => n.label === label)!.id;
    const link = (label: string) => m.links.find((l) => l.label === label)!.id;
    const root = s.world.state.hosts['controlplane']!.rootNs;
    const seq = [id('red'), link('veth-red — veth-red-br'), `br:${root}/v-net-0`, link('veth-blue — veth-blue-br'), id('blue')];
    const back = [id('blue'), link('veth-blue — veth-blue-br'), `br:${root}/v-net-0`, link('veth-red — veth-red-br'), id('red')];
    const firstAt = (x: string, from = 0) => path.indexOf(x, from);
    let at = 0;
    for (const x of seq) {
      at = firstAt(x, at);
      expect(at, x).toBeGreaterThanOrEqual(0);
    }
    for (const x of back) {
      at = firstAt(x, at);
      expect(at, `back ${x}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('route and NAT: red to the LAN goes up the bridge into the host, MASQUERADE there, out eth0 over the cable to lan', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-solved'), seed: 1 });
    const m = model(s.world);
    const steps = await traced(s, 'ip netns exec red ping -c1 192.168.1.3');
    const path = tracePath(m, steps);
    const root = s.world.state.hosts['controlplane']!.rootNs;
    const nat = steps.findIndex((x) => x.kind === 'nat');
    expect(path[nat]).toEqual([`ns:${root}`]);
    const flat = path.flat();
    expect(flat).toContain(`local:${root}/v-net-0`);
    expect(flat).toContain(`nic:${root}/eth0`);
    expect(flat).toContain(m.nodes.find((n) => n.label === 'lan')!.id);
  });

  it('drop: the path ends in the namespace whose rule dropped it', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-solved'), seed: 1 });
    await s.run('iptables -A FORWARD -d 192.168.1.3 -j DROP');
    const m = model(s.world);
    const steps = await traced(s, 'ip netns exec red ping -c1 -W1 192.168.1.3');
    const path = tracePath(m, steps);
    const root = s.world.state.hosts['controlplane']!.rootNs;
    const drop = steps.findIndex((x) => x.kind === 'drop');
    expect(steps[drop]!.ns).toBe(root);
    expect(path[drop]).toEqual([`ns:${root}`]);
    expect(path.flat()).not.toContain(m.nodes.find((n) => n.label === 'lan')!.id);
  });

  it('a cluster: pods framed by their node, a NetworkPolicy shields the pods it selects and no other', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
    const pod = (name: string, node: string) =>
      `echo '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}","labels":{"app":"${name}"}},"spec":{"nodeName":"${node}","containers":[{"name":"${name}","image":"nginx"}]}}' | kubectl apply -f -`;
    await s.run(pod('web', 'node01'));
    await s.run(pod('client', 'controlplane'));
    const policy = (name: string, app: string) =>
      `echo '{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"${name}"},"spec":{"podSelector":{"matchLabels":{"app":"${app}"}},"policyTypes":["Ingress"]}}' | kubectl apply -f -`;
    expect((await s.run(policy('web-in', 'web'))).exitCode).toBe(0);
    expect((await s.run(policy('web-deny', 'web'))).exitCode).toBe(0);
    await s.run('sleep 20');
    const m = model(s.world);
    const web = m.nodes.find((n) => n.kind === 'pod' && n.label === 'web')!;
    const client = m.nodes.find((n) => n.kind === 'pod' && n.label === 'client')!;
    expect(web.policies.sort()).toEqual(['web-deny', 'web-in']);
    expect(client.policies).toEqual([]);
    expect(m.nodes.filter((n) => n.policies.length).map((n) => n.label)).toEqual(['web']);
    // each Node framed; the lab's KVM host at the node network's .1 (its gateway and name server) is not a Node
    expect(m.groups.map((g) => g.label).sort()).toEqual(['controlplane', 'node01']);
    expect(m.nodes.some((n) => n.group === 'kvm-host')).toBe(true);
    const frameOf = (id: string) => m.groups.find((g) => g.members.includes(id))?.label;
    expect(frameOf(web.id)).toBe('node01');
    expect(frameOf(client.id)).toBe('controlplane');
    for (const n of m.nodes) expect(frameOf(n.id), n.label).toBe(n.kind === 'service' || n.kind === 'segment' || n.group === 'kvm-host' ? undefined : n.group);
    await s.run('kubectl delete networkpolicy web-in');
    expect(model(s.world).nodes.find((n) => n.id === web.id)!.policies).toEqual(['web-deny']);
  });

  it('VXLAN: a Service reached across nodes highlights the overlay between them', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
    const pod = (name: string, node: string, image: string, extra: string) =>
      `kubectl apply -f - <<'EOF'\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}","labels":{"app":"${name}"}},"spec":{"nodeName":"${node}","containers":[{"name":"${name}","image":"${image}"${extra}}]}}\nEOF`;
    await s.run(pod('web', 'node01', 'nginx', ''));
    await s.run(pod('client', 'controlplane', 'busybox', ',"command":["sleep","3600"]'));
    await s.run('kubectl expose pod web --port=80');
    await s.run('sleep 30');
    const m = model(s.world);
    checkWellFormed(s.world, m);
    const vx = m.links.filter((l) => l.kind === 'vxlan');
    expect(vx).toHaveLength(1);
    expect(m.links.filter((l) => l.kind === 'endpoint' && l.from === 'svc:default/web')).toHaveLength(1);
    const flat = tracePath(m, await traced(s, 'kubectl exec client -- wget -qO- web')).flat();
    expect(flat).toContain(vx[0]!.id);
    // the DNAT lights the Service and the endpoint it chose
    const ep = m.links.find((l) => l.kind === 'endpoint' && l.from === 'svc:default/web')!;
    expect(flat).toContain('svc:default/web');
    expect(flat).toContain(ep.id);
    expect(flat[0]).toBe(m.nodes.find((n) => n.label === 'client')!.id);
  });
});
