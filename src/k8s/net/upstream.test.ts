// The lab's KVM host at the node network's .1: libvirt's dnsmasq answering the nodes' names from its DHCP
// leases, plain names locally only (local=//), REFUSED for other names (no upstream: no internet), and no
// route out.
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';
import { getScenario } from '../../labs/scenarios/index';
import { parseDnsmasqArgs } from '../../commands/dnsmasq-args';
import { labHostUp, libvirtDnsmasqConf, LAB_HOST } from './upstream';

type S = Awaited<ReturnType<typeof Session.create>>;

describe('the KVM host at 192.168.121.1', () => {
  let s: S;
  beforeAll(async () => {
    s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
  });
  const run = async (l: string) => (await s.run(l)).output;

  it("answers the nodes' names from its leases, authoritative with TTL 0, and their addresses' reverse names", async () => {
    expect(await run('dig +noall +answer +comments @192.168.121.1 node01 | grep -E "^;; flags|\\sIN\\s"')).toBe(';; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\nnode01.\t\t\t0\tIN\tA\t192.168.121.11\n');
    expect(await run('dig +short @192.168.121.1 controlplane')).toBe('192.168.121.10\n');
    expect(await run('dig +short @192.168.121.1 -x 192.168.121.11')).toBe('node01.\n');
  });

  it('plain names it does not know are NXDOMAIN and never forwarded (local=//), for any type', async () => {
    expect(await run('dig @192.168.121.1 nosuchhost | grep status')).toContain('status: NXDOMAIN');
    expect(await run('dig @192.168.121.1 node01 MX | grep status')).toContain('status: NOERROR');
  });

  it('other names: REFUSED with EDE 14 (dnsmasq without upstream servers)', async () => {
    const r = await run('dig @192.168.121.1 example.com');
    expect(r).toContain('status: REFUSED');
    expect(r).toContain('; EDE: 14 (Not Ready)');
  });

  it('has no route out: a packet to the internet gets its network unreachable', async () => {
    expect(await run('ping -c 1 -W 1 8.8.8.8')).toMatch(/^PING 8\.8\.8\.8 \(8\.8\.8\.8\) 56\(84\) bytes of data\.\nFrom 192\.168\.121\.1 icmp_seq=1 Destination Net Unreachable\n/);
  });

  it("runs libvirt's dnsmasq as ps shows it, with libvirt's configuration file", async () => {
    expect(await run(`ssh ${LAB_HOST} ps auxww`)).toContain('/usr/sbin/dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/vagrant-libvirt.conf --leasefile-ro --dhcp-script=/usr/libexec/libvirt_leaseshelper');
    expect(await run(`ssh ${LAB_HOST} cat /var/lib/libvirt/dnsmasq/vagrant-libvirt.conf`)).toBe(libvirtDnsmasqConf('192.168.121'));
    expect(await run(`ssh ${LAB_HOST} cat /var/lib/libvirt/dnsmasq/virbr1.status`)).toMatch(/"ip-address": "192\.168\.121\.11",\n {4}"mac-address": "([0-9a-f]{2}:){5}[0-9a-f]{2}",\n {4}"hostname": "node01"/);
  });
});

describe('a node that comes up after the KVM host', () => {
  it('takes its DHCP lease: its line in virbr1.status (last, the others kept) and its name in the answers', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
    const run = async (l: string) => (await s.run(l)).output;
    const before = await run(`ssh ${LAB_HOST} cat /var/lib/libvirt/dnsmasq/virbr1.status`);
    expect(await run('dig +short @192.168.121.1 node05')).toBe('');
    await s.run('sleep 60');
    labHostUp(s.world, { segment: 'x', subnet: '192.168.121.0/24', nodes: [{ name: 'node05', ip: '192.168.121.15' }] });
    const after = JSON.parse(await run(`ssh ${LAB_HOST} cat /var/lib/libvirt/dnsmasq/virbr1.status`));
    expect(after.map((l: { hostname: string }) => l.hostname)).toEqual([...JSON.parse(before).map((l: { hostname: string }) => l.hostname), 'node05']);
    // an hour from when it took the lease, a minute after the others
    expect(after.at(-1)['expiry-time'] - after[0]['expiry-time']).toBe(60);
    expect(await run('dig +short @192.168.121.1 node05')).toBe('192.168.121.15\n');
    expect(await run('dig +short @192.168.121.1 -x 192.168.121.15')).toBe('node05.\n');
    // a renewed lease moves to the end and keeps one line
    labHostUp(s.world, { segment: 'x', subnet: '192.168.121.0/24', nodes: [{ name: 'node01', ip: '192.168.121.11' }] });
    const renewed = JSON.parse(await run(`ssh ${LAB_HOST} cat /var/lib/libvirt/dnsmasq/virbr1.status`));
    expect(renewed.map((l: { hostname: string }) => l.hostname)).toEqual(['controlplane', 'node05', 'node01']);
  }, 60_000);
});

describe("dnsmasq's --local=//", () => {
  it('marks unqualified names local (not every name, as --local=/#/ or a domain would)', () => {
    const p = parseDnsmasqArgs(['--local=//', '--local=/lab/']);
    expect(p.error).toBeNull();
    expect(p.config.localUnqualified).toBe(true);
    expect(p.config.localDomains).toEqual(['lab']);
  });
});
