// The checker helpers over real states built by the shell: what they accept
// and the culprit they name.
import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { contextFor } from './runner';
import { answerFile, attachedTo, covers, dnats, firstNameserver, forwarding, hasAddress, hostsEntry, linkUp, masquerades, reachesVia, vethPair } from './check';
import { getScenario } from '../scenarios/index';

async function lab(scenario: string, lines: string[]) {
  const s = await Session.create({ scenario: getScenario(scenario), seed: 3 });
  for (const l of lines) {
    const r = await s.run(l);
    expect(r.exitCode, `${l}: ${r.output}`).toBe(0);
  }
  const snap = s.snapshot();
  return contextFor(Session, snap, snap);
}

describe('check helpers', () => {
  it('covers() compares prefixes', () => {
    expect(covers('10.0.0.0/8', '10.1.2.0/24')).toBe(true);
    expect(covers('10.1.2.0/24', '10.1.2.7')).toBe(true);
    expect(covers('10.1.2.0/24', '10.0.0.0/8')).toBe(false);
    expect(covers('0.0.0.0/0', '192.168.1.3')).toBe(true);
    expect(covers('garbage', '10.0.0.1')).toBe(false);
  });

  it('links, addresses, pairs and bridge ports name the culprit', async () => {
    const c = await lab('blank', [
      'ip netns add red',
      'ip link add br0 type bridge',
      'ip link add veth-red type veth peer name veth-red-br',
      'ip link set veth-red netns red',
      'ip -n red addr add 10.9.8.7/16 dev veth-red',
      'ip link set veth-red-br up',
    ]);
    expect(linkUp(c.world, c.host, 'red', 'veth-red')).toBe('veth-red is not up');
    expect(linkUp(c.world, c.host, null, 'veth-red-br')).toBe(true);
    expect(linkUp(c.world, c.host, 'blue', 'veth-blue')).toBe('there is no namespace blue');
    expect(hasAddress(c.world, c.host, 'red', 'veth-red', '10.9.8.7/24')).toBe('veth-red has 10.9.8.7/16, not /24');
    expect(hasAddress(c.world, c.host, 'red', 'veth-red', '10.9.8.7/16')).toBe(true);
    expect(vethPair(c.world, c.host, { netns: 'red', dev: 'veth-red' }, { netns: null, dev: 'veth-red-br' })).toBe(true);
    expect(attachedTo(c.world, c.host, null, 'veth-red-br', 'br0')).toBe('veth-red-br is not attached to br0');
  });

  it('routes: the longest match decides, a default route or a specific one both do', async () => {
    const c = await lab('netns-lab', ['ip route add 10.20.0.0/16 via 192.168.1.3', 'ip route add 10.20.30.0/24 dev eth0']);
    expect(reachesVia(c.world, c.host, null, '10.20.1.1', '192.168.1.3')).toBe(true);
    expect(reachesVia(c.world, c.host, null, '10.20.30.4', '192.168.1.3')).toMatch(/has no gateway/);
    expect(reachesVia(c.world, c.host, null, '172.16.0.1', '192.168.1.3')).toBe('there is no route to 172.16.0.1 on the host');
    expect(forwarding(c.world, c.host, null)).toMatch(/IP forwarding is off/);
  });

  it('NAT rules: MASQUERADE by source, DNAT by port and target, also through a user chain', async () => {
    const c = await lab('netns-lab', [
      'iptables -t nat -A POSTROUTING -s 10.1.0.0/16 -o eth0 -j MASQUERADE',
      'iptables -t nat -N PUBLISH',
      'iptables -t nat -A PREROUTING -j PUBLISH',
      'iptables -t nat -A PUBLISH -p tcp --dport 8080 -j DNAT --to-destination 10.1.2.3:80',
    ]);
    expect(masquerades(c.world, c.host, null, '10.1.2.0/24')).toBe(true);
    expect(masquerades(c.world, c.host, null, '10.2.0.0/24')).toMatch(/no MASQUERADE rule .* 10\.2\.0\.0\/24/);
    expect(dnats(c.world, c.host, null, 'PREROUTING', 8080, '10.1.2.3:80')).toBe(true);
    expect(dnats(c.world, c.host, null, 'PREROUTING', 8081, '10.1.2.3:80')).toMatch(/port 8081/);
    expect(dnats(c.world, c.host, null, 'PREROUTING', 8080, '10.1.2.4:80')).toMatch(/sends packets to 10\.1\.2\.3:80/);
  });

  it('files: answers, /etc/hosts (first match wins), resolv.conf order', async () => {
    const c = await lab('blank', [
      'mkdir -p /opt/answers',
      'echo " 10259 " > /opt/answers/q1.txt',
      'echo "10.0.0.1 db.example db" >> /etc/hosts',
      'echo "10.0.0.2 db" >> /etc/hosts',
      "printf 'nameserver 10.9.9.9\\nnameserver 192.168.15.10\\n' > /etc/resolv.conf",
    ]);
    expect(answerFile(c.world, c.host, '/opt/answers/q1.txt', '10259')).toBe(true);
    expect(answerFile(c.world, c.host, '/opt/answers/q1.txt', '10257')).toMatch(/holds "10259", which is not the right answer/);
    expect(answerFile(c.world, c.host, '/opt/answers/q2.txt', '1')).toBe('/opt/answers/q2.txt does not exist');
    expect(hostsEntry(c.world, c.host, 'db', '10.0.0.1')).toBe(true);
    expect(hostsEntry(c.world, c.host, 'db', '10.0.0.2')).toBe('/etc/hosts maps db to 10.0.0.1, not 10.0.0.2');
    expect(hostsEntry(c.world, c.host, 'web', '10.0.0.2')).toBe('/etc/hosts has no entry for web');
    expect(firstNameserver(c.world, c.host, '192.168.15.10')).toMatch(/10\.9\.9\.9 comes before 192\.168\.15\.10/);
  });

  it('probes run in a copy: the checked world is not changed', async () => {
    const c = await lab('blank', []);
    const before = c.world.snapshot();
    const r = await c.probe('ip netns add probe-made');
    expect(r.exitCode).toBe(0);
    expect(c.world.snapshot()).toBe(before);
  });
});
