// Tab completion of the networking tools, driven through Session.complete()
// on real scenarios, and through the line editor for what Tab inserts.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session } from '../shell/session';
import { completerFor, prepareCompleter } from '../shell/completion';
import { completed, createEditor, feed, lineOf } from '../shell/editor';
import './index';
import { getScenario } from '../labs/scenarios/index';

/** Candidates for `line` with the cursor at its end. */
async function cands(s: Session, line: string): Promise<string[]> {
  return (await s.complete(line, line.length)).candidates;
}

/** The line after typing `line` and pressing Tab once in the editor. */
async function tab(s: Session, line: string): Promise<string> {
  const ed = createEditor({ prompt: '# ', columns: 80 });
  const step = feed(feed(ed, line).state, '\t');
  const action = step.actions.find((a) => a.type === 'complete') as { type: 'complete'; line: string; cursor: number };
  const r = await s.complete(action.line, action.cursor);
  return lineOf(completed(step.state, r).state);
}

/** Interface names of a namespace (the host's root one, or a named one), sorted as the session sorts. */
function links(s: Session, netns?: string): string[] {
  const st = s.world.state;
  const host = st.hosts[s.host]!;
  const id = netns ? host.netns[netns]! : host.rootNs;
  return st.namespaces[id]!.links.map((l) => l.name).sort();
}

const sorted = (xs: string[]) => [...xs].sort();

describe('ip and bridge on the finished namespace lab', () => {
  let s: Session;
  beforeAll(async () => {
    s = await Session.create({ scenario: getScenario('netns-lab-solved') });
  });

  it('objects and verbs, abbreviations resolved as iproute2 does', async () => {
    expect(await cands(s, 'ip l')).toEqual(['l2tp', 'link']);
    expect(await tab(s, 'ip li')).toBe('ip link ');
    expect(await cands(s, 'ip n')).toEqual(['neighbour', 'netconf', 'netns', 'nexthop', 'ntable']);
    expect(await cands(s, 'ip link ')).toEqual(expect.arrayContaining(['add', 'delete', 'set', 'show']));
    // `ip a s` is `ip address show`, `ip r` is route, `ip n` is neighbour
    expect(await cands(s, 'ip a s ')).toEqual(expect.arrayContaining([...links(s), 'dev', 'up']));
    expect(await cands(s, 'ip r add default ')).toEqual(expect.arrayContaining(['via', 'dev', 'metric', 'table', 'proto', 'scope', 'onlink']));
    expect(await cands(s, 'ip n add 10.0.0.9 nud ')).toEqual(sorted(['permanent', 'noarp', 'stale', 'reachable', 'none', 'incomplete', 'delay', 'probe', 'failed']));
  });

  it('interface names of the host after set, delete, show, dev and master', async () => {
    const host = links(s);
    expect(host).toContain('veth-red-br');
    expect(host).not.toContain('veth-red');
    expect(await cands(s, 'ip link set v')).toEqual(host.filter((n) => n.startsWith('v')));
    expect(await cands(s, 'ip link set ')).toEqual(sorted([...host, 'dev', 'group']));
    expect(await cands(s, 'ip link del ')).toEqual(sorted([...host, 'dev', 'group']));
    expect(await cands(s, 'ip link set dev ')).toEqual(host);
    expect(await cands(s, 'ip link set veth-red-br master ')).toEqual(host);
    expect(await cands(s, 'ip addr show ')).toEqual(expect.arrayContaining(host));
    expect(await cands(s, 'ip -br a s dev ')).toEqual(host);
    expect(await cands(s, 'ip route add 10.9.0.0/24 via 192.168.15.2 dev ')).toEqual(host);
    expect(await tab(s, 'ip link set veth-r')).toBe('ip link set veth-red-br ');
  });

  it('keywords after the device; the ones given are not offered again', async () => {
    const after = await cands(s, 'ip link set veth-red-br ');
    expect(after).toEqual(expect.arrayContaining(['up', 'down', 'master', 'nomaster', 'netns', 'mtu', 'name', 'address']));
    expect(after).not.toContain('veth-red-br');
    expect(after).not.toContain('dev');
    const up = await cands(s, 'ip link set eth0 up ');
    expect(up).not.toContain('down');
    expect(up).not.toContain('up');
    expect(await cands(s, 'ip link set eth0 arp ')).toEqual(['off', 'on']);
    expect(await cands(s, 'ip link add veth9 type ')).toEqual(['bridge', 'dummy', 'veth']);
    expect(await cands(s, 'ip link add veth9 type veth peer ')).toEqual(['name']);
    expect(await cands(s, 'ip link add veth9 type dummy ')).not.toContain('peer');
    expect(await cands(s, 'ip route show table ')).toEqual(expect.arrayContaining(['main', 'local', 'default', 'all']));
    expect(await cands(s, 'ip addr add 10.1.1.1/24 dev eth0 scope ')).toEqual(['global', 'host', 'link']);
  });

  it('namespace names after netns verbs, netns, -n and link-netns', async () => {
    const names = ['blue', 'green', 'red', 'yellow'];
    expect(await cands(s, 'ip netns exec r')).toEqual(['red']);
    expect(await tab(s, 'ip netns exec r')).toBe('ip netns exec red ');
    expect(await cands(s, 'ip netns del ')).toEqual(names);
    expect(await cands(s, 'ip netns pids ')).toEqual(names);
    expect(await cands(s, 'ip -n ')).toEqual(names);
    expect(await cands(s, 'ip -netns g')).toEqual(['green']);
    expect(await cands(s, 'ip link set veth-red-br netns ')).toEqual(names);
    expect(await cands(s, 'ip link set veth-red-br link-netns y')).toEqual(['yellow']);
    // after the namespace comes a command, not a namespace
    expect(await cands(s, 'ip netns exec red i')).toEqual(expect.arrayContaining(['ip', 'iptables', 'ifconfig']));
    expect(await cands(s, 'ip -all netns exec ')).not.toContain('red');
  });

  it('-n NAME and ip netns exec NAME complete the namespace\'s own interfaces', async () => {
    const red = links(s, 'red');
    expect(red).toEqual(['lo', 'veth-red']);
    expect(await cands(s, 'ip -n red link set ')).toEqual(sorted([...red, 'dev', 'group']));
    expect(await cands(s, 'ip -n blue addr show dev ')).toEqual(links(s, 'blue'));
    expect(await cands(s, 'ip netns exec red ip link set ')).toEqual(sorted([...red, 'dev', 'group']));
    expect(await cands(s, 'sudo ip netns exec green ip route add default via 192.168.15.1 dev ')).toEqual(links(s, 'green'));
    expect(await cands(s, 'ip netns exec red ifconfig ')).toEqual(red);
    expect(await cands(s, 'ip -n red -br a s dev ')).toEqual(red);
  });

  it('global options, and their values', async () => {
    const opts = await cands(s, 'ip -');
    expect(opts).toEqual(expect.arrayContaining(['-br', '-brief', '-o', '-j', '-json', '-p', '-pretty', '-4', '-6', '-n', '-netns', '-s', '-stats', '-d', '-details', '-c', '-color', '-h', '-all']));
    expect(await cands(s, 'ip -f ')).toEqual(['bridge', 'inet', 'inet6', 'link', 'mpls']);
    // options before the object do not move it
    expect(await cands(s, 'ip -4 -br -c r')).toEqual(['route', 'rule']);
  });

  it('bridge: objects, verbs, bridges and ports', async () => {
    expect(await cands(s, 'bridge ')).toEqual(['fdb', 'help', 'link', 'mdb', 'monitor', 'vlan']);
    expect(await cands(s, 'bridge fdb ')).toEqual(expect.arrayContaining(['add', 'delete', 'show']));
    expect(await cands(s, 'bridge fdb show br ')).toEqual(['v-net-0']);
    expect(await cands(s, 'bridge link set dev ')).toEqual(links(s));
    expect(await cands(s, 'bridge -n red link show dev ')).toEqual(links(s, 'red'));
  });
});

describe('net-tools, ss, iptables and the clients on the namespace lab', () => {
  let s: Session;
  beforeAll(async () => {
    s = await Session.create({ scenario: getScenario('netns-lab-solved') });
  });

  it('iptables: tables, the chains of the selected table, targets, protocols, modules', async () => {
    expect(await cands(s, 'iptables -t ')).toEqual(['filter', 'mangle', 'nat', 'raw', 'security']);
    expect(await cands(s, 'iptables -t nat -A ')).toEqual(['INPUT', 'OUTPUT', 'POSTROUTING', 'PREROUTING']);
    expect(await cands(s, 'iptables -A ')).toEqual(['FORWARD', 'INPUT', 'OUTPUT']);
    await s.run('iptables -t nat -N MY-DNAT');
    expect(await cands(s, 'iptables -t nat -I ')).toContain('MY-DNAT');
    expect(await cands(s, 'iptables -A ')).not.toContain('MY-DNAT');
    expect(await cands(s, 'iptables -t nat -X ')).toEqual(['MY-DNAT']);
    const targets = await cands(s, 'iptables -t nat -A PREROUTING -j ');
    expect(targets).toEqual(expect.arrayContaining(['ACCEPT', 'DROP', 'REJECT', 'LOG', 'MASQUERADE', 'SNAT', 'DNAT', 'MARK', 'RETURN', 'MY-DNAT']));
    expect(await cands(s, 'iptables -t nat -A PREROUTING -p ')).toEqual(expect.arrayContaining(['tcp', 'udp', 'icmp', 'all']));
    expect(await cands(s, 'iptables -A INPUT -m ')).toEqual(expect.arrayContaining(['conntrack', 'multiport', 'comment', 'state']));
    expect(await cands(s, 'iptables -A INPUT -i ')).toEqual(links(s));
    expect(await cands(s, 'iptables -P FORWARD ')).toEqual(['ACCEPT', 'DROP']);
    expect(await cands(s, 'iptables -nvL ')).toEqual(['FORWARD', 'INPUT', 'OUTPUT']);
  });

  it('iptables: long options of the loaded matches and target, their values, rule numbers', async () => {
    expect(await cands(s, 'iptables -A INPUT --dp')).toEqual([]);
    expect(await cands(s, 'iptables -A INPUT -p tcp --dp')).toEqual(['--dport']);
    expect(await cands(s, 'iptables -A INPUT -m multiport --dp')).toEqual(['--dports']);
    expect(await cands(s, 'iptables -A INPUT -m conntrack --ctstate ')).toEqual(expect.arrayContaining(['ESTABLISHED', 'RELATED', 'NEW']));
    expect(await cands(s, 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to')).toEqual(['--to-destination']);
    expect(await cands(s, 'iptables -A INPUT -j REJECT --reject-with ')).toContain('icmp-port-unreachable');
    const n = s.world.state.namespaces[s.world.state.hosts[s.host]!.rootNs]!.netfilter.tables.nat!.chains.find((c) => c.name === 'POSTROUTING')!.rules.length;
    expect(n).toBeGreaterThan(0);
    expect(await cands(s, 'iptables -t nat -D POSTROUTING ')).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
    expect(await cands(s, 'iptables-save -t ')).toEqual(['filter', 'mangle', 'nat', 'raw', 'security']);
  });

  it('route, ifconfig, arp, netstat and ss', async () => {
    expect(await cands(s, 'route ')).toEqual(['add', 'del', 'flush']);
    expect(await cands(s, 'route add -net 10.9.0.0 netmask 255.255.255.0 ')).toEqual(expect.arrayContaining(['gw', 'dev', 'metric']));
    expect(await cands(s, 'route add -net 10.9.0.0 netmask 255.255.255.0 dev ')).toEqual(links(s));
    expect(await cands(s, 'route -')).toEqual(expect.arrayContaining(['-n', '-e', '-ee', '-A', '-v']));
    expect(await cands(s, 'ifconfig ')).toEqual(links(s));
    expect(await cands(s, 'ifconfig eth0 ')).toEqual(expect.arrayContaining(['up', 'down', 'netmask', 'broadcast', 'mtu']));
    await s.run('ping -c 1 192.168.1.3');
    expect(await cands(s, 'arp -d ')).toContain('192.168.1.3');
    expect(await cands(s, 'arp -i ')).toEqual(links(s));
    expect(await cands(s, 'netstat --li')).toEqual(['--listening']);
    expect(await cands(s, 'netstat -')).toEqual(expect.arrayContaining(['-t', '-u', '-l', '-n', '-p', '-r', '-i', '--tcp']));
    expect(await cands(s, 'ss state e')).toEqual(['established']);
    expect(await cands(s, 'ss -tlnp state ')).toEqual(expect.arrayContaining(['listening', 'time-wait', 'connected']));
    expect(await cands(s, 'ss -N ')).toEqual(['blue', 'green', 'red', 'yellow']);
  });

  it('ping, traceroute, nc, curl and ssh: destinations from /etc/hosts and the world', async () => {
    const dests = await cands(s, 'ping ');
    expect(dests).toEqual(expect.arrayContaining(['localhost', '192.168.1.3', '192.168.15.2', '192.168.15.1']));
    expect(dests.some((d) => d.startsWith('127.'))).toBe(false);
    expect(await cands(s, 'ping -c 3 192.168.15.')).toEqual(['192.168.15.1', '192.168.15.2', '192.168.15.3', '192.168.15.4', '192.168.15.5']);
    expect(await cands(s, 'ping -I ')).toEqual(expect.arrayContaining(links(s)));
    expect(await cands(s, 'traceroute -n 192.168.1.')).toEqual(['192.168.1.2', '192.168.1.3']);
    expect(await cands(s, 'nc -zv 192.168.1.')).toEqual(['192.168.1.2', '192.168.1.3']);
    expect(await cands(s, 'curl -s http://192.168.15.3')).toEqual(['http://192.168.15.3/']);
    expect(await cands(s, 'curl -X ')).toEqual(expect.arrayContaining(['GET', 'POST', 'HEAD']));
    expect(await cands(s, 'ssh ')).toEqual(['controlplane', 'lan']);
    expect(await tab(s, 'ssh root@l')).toBe('ssh root@lan ');
  });
});

describe('kubectl on the live cluster (k8s-cluster)', () => {
  it('names come from the API in the namespace the words select', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    const coredns = (await cands(s, 'kubectl get pods -n kube-system core')).filter((n) => n.startsWith('coredns-'));
    expect(coredns.length).toBe(2);
    expect(await cands(s, 'kubectl get pods --namespace=kube-system core')).toEqual(coredns);
    expect(await cands(s, 'kubectl get pods core')).toEqual([]);
    expect(await cands(s, 'kubectl logs -n kube-system -c x core')).toEqual(coredns);
    expect(await cands(s, 'kubectl get -n ')).toEqual(expect.arrayContaining(['default', 'kube-system']));
    expect(await cands(s, 'kubectl get svc -A kube')).toEqual(expect.arrayContaining(['kube-dns', 'kubernetes']));
  });
});

describe('kubectl and ssh on the Kubernetes node', () => {
  let s: Session;
  beforeAll(async () => {
    s = await Session.create({ scenario: getScenario('k8s-node') });
  });

  it('verbs, resource types, namespaces, pods and containers from the cluster', async () => {
    const cluster = s.world.state.cluster!;
    expect(await cands(s, 'kubectl ')).toEqual(expect.arrayContaining(['get', 'describe', 'logs']));
    expect(await cands(s, 'kubectl get ')).toEqual(['endpoints', 'namespaces', 'nodes', 'pods', 'services']);
    expect(await cands(s, 'kubectl get -n ')).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const weave = cluster.pods.filter((p) => p.namespace === 'kube-system' && p.name.startsWith('w')).map((p) => p.name);
    expect(weave.length).toBe(1);
    expect(await cands(s, 'kubectl logs -n kube-system w')).toEqual(weave);
    expect(await tab(s, 'kubectl logs -n kube-system w')).toBe(`kubectl logs -n kube-system ${weave[0]} `);
    // default namespace: no kube-system pods
    expect(await cands(s, 'kubectl logs w')).toEqual(cluster.pods.filter((p) => p.namespace === 'default' && p.name.startsWith('w')).map((p) => p.name).sort());
    expect(await cands(s, `kubectl logs -n kube-system ${weave[0]} `)).toEqual(['weave', 'weave-npc']);
    expect(await cands(s, 'kubectl get svc -n kube-system ')).toEqual(['kube-dns']);
    expect(await cands(s, 'kubectl get pods -o ')).toEqual(expect.arrayContaining(['wide', 'name']));
  });

  it('ssh offers the world\'s hosts; iptables the kube-proxy chains', async () => {
    expect(await cands(s, 'ssh ')).toEqual(['controlplane', 'gateway']);
    const nat = await cands(s, 'iptables -t nat -L KUBE-S');
    expect(nat).toContain('KUBE-SERVICES');
    expect(nat.every((c) => c.startsWith('KUBE-S'))).toBe(true);
  });
});

describe('a blank host', () => {
  it('only lo, no namespaces, one host', async () => {
    const s = await Session.create({ scenario: getScenario('blank') });
    expect(await cands(s, 'ip link set ')).toEqual(['dev', 'group', 'lo']);
    expect(await cands(s, 'ip -n ')).not.toContain('red');
    expect(await cands(s, 'ssh ')).toEqual(['controlplane']);
    await s.run('ip link add br0 type bridge');
    await s.run('ip netns add ns1');
    expect(await cands(s, 'ip link set br0 master ')).toEqual(['br0', 'lo']);
    expect(await cands(s, 'ip netns exec ')).toEqual(['ns1']);
  });
});

describe('robustness', () => {
  it('no completer throws on arbitrary words', async () => {
    const s = await Session.create({ scenario: getScenario('netns-lab-solved') });
    const sys = s.sys({});
    const vocab = ['ip', '-n', 'red', 'link', 'set', 'dev', 'type', 'veth', 'peer', 'netns', 'exec', 'a', 's', 'r', 'add', 'del', '-t', 'nat', '-A', '-j', '-p', 'tcp', '-m', '--dport', 'master', '-', '--', '', '-I', 'POSTROUTING', '-D', 'logs', 'get', 'pods', '-o', 'state', 'x'];
    const tools = ['ip', 'bridge', 'route', 'netstat', 'ss', 'arp', 'ifconfig', 'iptables', 'iptables-save', 'ping', 'traceroute', 'nc', 'curl', 'kubectl', 'ssh'];
    // the completers loaded on first use (ip's, the lazily loaded tools'): loaded as the session loads them before asking
    for (const t of tools) await prepareCompleter(t);
    fc.assert(
      fc.property(fc.constantFrom(...tools), fc.array(fc.constantFrom(...vocab), { maxLength: 8 }), fc.constantFrom(...vocab), (tool, words, current) => {
        const out = completerFor(tool)!({ words: [tool, ...words], current, sys });
        expect(Array.isArray(out)).toBe(true);
        expect(out.every((c) => typeof c === 'string')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
