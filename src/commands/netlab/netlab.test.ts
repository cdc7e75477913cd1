// netlab trace: the step list of a command's last packet exchange, recorded
// by the packet engine run that printed the command's output.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';

type S = Awaited<ReturnType<typeof Session.create>>;

const lab = (): Promise<S> => Session.create({ scenario: getScenario('netns-lab-solved'), seed: 3 });
/** the step lines after the command's own output, as [where, what, text] */
function steps(output: string): string[][] {
  const i = output.indexOf('netlab trace: the last packet exchange\n');
  expect(i).toBeGreaterThanOrEqual(0);
  return output
    .slice(i)
    .split('\n')
    .slice(1, -1)
    .map((l) => {
      const m = /^\s*\d+ {2}(\S+)\s+(\S+)\s+(.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      return [m![1]!, m![2]!, m![3]!];
    });
}

describe('netlab trace', () => {
  it('prints the command output unchanged and leaves the world exactly as an untraced run does (clock, random state, counters)', async () => {
    const a = await lab();
    const b = await lab();
    for (const line of ['ip netns exec red ping -c2 192.168.15.3', 'ip netns exec red ping -c1 192.168.1.3', 'ip netns exec blue curl -s 192.168.1.3', 'ip netns exec red nc -zv 192.168.15.3 80']) {
      const plain = await a.run(line);
      const traced = await b.run(`netlab trace ${line}`);
      expect(traced.exitCode).toBe(plain.exitCode);
      expect(traced.output.startsWith(plain.output), line).toBe(true);
      expect(traced.output.slice(plain.output.length)).toMatch(/^netlab trace: /);
      expect(JSON.stringify(b.world.snapshot())).toBe(JSON.stringify(a.world.snapshot()));
    }
  });

  it('red to blue across the bridge: out veth-red, the FDB sends it to veth-blue-br, blue delivers, and the reply comes back the same way', async () => {
    const s = await lab();
    const st = steps((await s.run('netlab trace ip netns exec red ping -c1 192.168.15.3')).output);
    const at = (where: string, what: string, text: RegExp): number => st.findIndex(([w, k, t]) => w === where && k === what && text.test(t!));
    const order = [
      at('red', 'send', /^ICMP echo request 192\.168\.15\.2 > 192\.168\.15\.3, route 192\.168\.15\.0\/24 dev veth-red src 192\.168\.15\.2$/),
      at('red', 'out', /^veth-red ICMP echo request/),
      at('controlplane', 'in', /^veth-red-br /),
      at('controlplane', 'bridge', /^v-net-0: FDB \S+ -> port veth-blue-br$/),
      at('blue', 'in', /^veth-blue ICMP echo request/),
      at('blue', 'deliver', /echo request/),
      at('blue', 'send', /^ICMP echo reply 192\.168\.\d+\.\d+ > /),
      at('blue', 'out', /^veth-blue ICMP echo reply/),
      at('red', 'in', /^veth-red ICMP echo reply/),
      at('red', 'deliver', /echo reply/),
    ];
    expect(order.every((i) => i >= 0), JSON.stringify(st)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    // the exchange ends with the reply
    expect(st[st.length - 1]!.slice(0, 2)).toEqual(['red', 'deliver']);
  });

  it('a ping to the LAN shows the POSTROUTING MASQUERADE rule and the reply un-NATed by conntrack', async () => {
    const s = await lab();
    const out = (await s.run('netlab trace ip netns exec red ping -c1 192.168.1.3')).output;
    expect(out).toMatch(/^\s*\d+ {2}controlplane\s+netfilter\s+nat POSTROUTING: rule 1 MASQUERADE \(-A POSTROUTING -s 192\.168\.15\.0\/24 -j MASQUERADE\)$/m);
    expect(out).toMatch(/controlplane\s+nat\s+MASQUERADE to 192\.168\.1\.2$/m);
    expect(out).toMatch(/lan\s+in\s+eth0 ICMP echo request 192\.168\.1\.2 > 192\.168\.1\.3 ttl 63$/m);
    expect(out).toMatch(/controlplane\s+route\s+ICMP echo reply 192\.168\.1\.3 > 192\.168\.15\.2 on eth0, .*\(conntrack: destination 192\.168\.1\.2 -> 192\.168\.15\.2\)/m);
  });

  it('a DROP rule in FORWARD: the step list names the rule and its chain, and the packet goes no further', async () => {
    const s = await lab();
    await s.run('iptables -A FORWARD -d 192.168.1.3 -j DROP');
    const r = await s.run('netlab trace ip netns exec red ping -c1 -W1 192.168.1.3');
    expect(r.output).toContain('1 packets transmitted, 0 received, 100% packet loss');
    const st = steps(r.output);
    const i = st.findIndex(([w, k, t]) => w === 'controlplane' && k === 'netfilter' && t === 'filter FORWARD: rule 1 DROP (-A FORWARD -d 192.168.1.3/32 -j DROP)');
    expect(i, JSON.stringify(st)).toBeGreaterThan(0);
    expect(st[i + 1]).toEqual(['controlplane', 'DROP', 'filter FORWARD DROP']);
    expect(st.some(([w]) => w === 'lan')).toBe(false);
  });

  it('a chain path through user chains: a jump to a chain that drops', async () => {
    const s = await lab();
    await s.run('iptables -N GUARD');
    await s.run('iptables -A GUARD -p icmp -j REJECT');
    await s.run('iptables -I FORWARD -s 192.168.15.2 -j GUARD');
    const st = steps((await s.run('netlab trace ip netns exec red ping -c1 -W1 192.168.1.3')).output);
    expect(st).toContainEqual(['controlplane', 'netfilter', 'filter FORWARD -> GUARD: rule 1 REJECT (-A GUARD -p icmp -j REJECT --reject-with icmp-port-unreachable)']);
    expect(st.some(([w, k, t]) => w === 'controlplane' && k === 'icmp' && /destination unreachable 192\.168\.15\.1 > 192\.168\.15\.2/.test(t!))).toBe(true);
  });

  it('TTL exceeded: a router answers time exceeded', async () => {
    const s = await lab();
    const st = steps((await s.run('netlab trace ip netns exec red ping -c1 -t1 -W1 192.168.1.3')).output);
    expect(st.some(([w, k, t]) => w === 'controlplane' && k === 'icmp' && /^sends ICMP time exceeded 192\.168\.15\.1 > 192\.168\.15\.2/.test(t!)), JSON.stringify(st)).toBe(true);
  });

  it('no route: nothing leaves, and the trace says so', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab'), seed: 3 });
    await s.run('ip netns add red');
    await s.run('ip -n red link set lo up');
    const r = await s.run('netlab trace ip netns exec red ping -c1 10.9.9.9');
    expect(r.output).toBe('ping: connect: Network is unreachable\nnetlab trace: no packet was sent\n');
    expect(r.exitCode).toBe(2);
  });

  it('help, and bad usage', async () => {
    const s = await lab();
    expect((await s.run('netlab help')).output).toMatch(/^Usage: netlab COMMAND[\s\S]*trace COMMAND\.\.\./);
    expect(await s.run('netlab frob')).toEqual({ output: "netlab: unknown command 'frob'\nTry 'netlab help'.\n", exitCode: 1 });
    expect(await s.run('netlab trace')).toEqual({ output: 'Usage: netlab trace COMMAND [ARGS]\n', exitCode: 1 });
  });
});

describe('netlab trace on the cluster', () => {
  it('kubectl exec client -- wget -qO- web: DNAT through KUBE-SEP, the VXLAN crossing to node01, and back', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
    const pod = (name: string, node: string, image: string, extra: string) =>
      `kubectl apply -f - <<'EOF'\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}","labels":{"app":"${name}"}},"spec":{"nodeName":"${node}","containers":[{"name":"${name}","image":"${image}"${extra}}]}}\nEOF`;
    expect((await s.run(pod('web', 'node01', 'nginx', ''))).exitCode).toBe(0);
    expect((await s.run(pod('client', 'controlplane', 'busybox', ',"command":["sleep","3600"]'))).exitCode).toBe(0);
    expect((await s.run('kubectl expose pod web --port=80')).exitCode).toBe(0);
    await s.run('sleep 30');
    const webIp = (await s.run('kubectl get pod web -o jsonpath={.status.podIP}')).output.trim();
    const r = await s.run('netlab trace kubectl exec client -- wget -qO- web');
    expect(r.exitCode, r.output + (await s.run('kubectl get pods -o wide; kubectl get nodes; kubectl describe pod client | tail -5')).output).toBe(0);
    expect(r.output).toMatch(/^<!DOCTYPE html>/);
    const st = steps(r.output);
    const dnat = st.findIndex(([w, k, t]) => w === 'controlplane' && k === 'netfilter' && /^nat PREROUTING -> KUBE-SERVICES -> KUBE-SVC-\w+ -> KUBE-SEP-\w+: rule \d+ DNAT \(-A KUBE-SEP-\w+ .*-j DNAT --to-destination [\d.]+:80\)$/.test(t!));
    expect(dnat, JSON.stringify(st)).toBeGreaterThan(0);
    const encap = st.findIndex(([w, k, t]) => w === 'controlplane' && k === 'vxlan' && /^encap VNI 1 \S+ -> \S+ udp 8472$/.test(t!));
    const decap = st.findIndex(([w, k, t]) => w === 'node01' && k === 'vxlan' && /^decap VNI 1 from /.test(t!));
    const arrive = st.findIndex(([w, k, t]) => w === 'web' && k === 'deliver' && t!.includes(`> ${webIp}:80`));
    expect(dnat).toBeLessThan(encap);
    expect(encap).toBeLessThan(decap);
    expect(decap).toBeLessThan(arrive);
    expect(st[0]!.slice(0, 2)).toEqual(['client', 'send']);
    expect(st[st.length - 1]!.slice(0, 2)).toEqual(['client', 'deliver']);
  });
});
