import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { World } from './world';
import type { Link } from './types';
import { isKernelError } from './errors';
import { errnoOf } from './testing';
import {
  ipv4ForwardingOn,
  parseIntVector,
  procSysList,
  procSysRead,
  procSysWrite,
  sysctlGet,
  sysctlKeys,
  sysctlLinkAdded,
  sysctlLinkRemoved,
  sysctlSet,
  sysctlStat,
} from './proc-sys';

/** A world with one host whose root namespace has lo plus the given extra links. */
function world(...names: string[]) {
  const w = World.create();
  const h = w.addHost('controlplane');
  const ns = w.ns(h.rootNs);
  for (const name of names) {
    const lo = ns.links[0]!;
    const l: Link = { ...structuredClone(lo), ifindex: ns.nextIfindex++, name, kind: 'veth', mtu: 1500 };
    ns.links.push(l);
  }
  return { w, ns: h.rootNs };
}

const errno = (fn: () => unknown): string => errnoOf(fn);

describe('keys', () => {
  test('per-interface directories follow the links of the namespace', () => {
    const { w, ns } = world('veth0');
    expect(sysctlStat(w, ns, 'net.ipv4.conf.veth0.forwarding')?.type).toBe('file');
    expect(sysctlStat(w, ns, 'net.ipv4.conf.veth9.forwarding')).toBeNull();
    expect(procSysList(w, ns, '/proc/sys/net/ipv4/conf')).toEqual(['all', 'default', 'lo', 'veth0']);
    expect(sysctlStat(w, ns, 'net.ipv4.neigh.all.ucast_solicit')).toBeNull();
    // neigh/default exists in the initial namespace only (the corpus's host is a namespace)
    expect(sysctlStat(w, ns, 'net.ipv4.neigh.default.gc_thresh1')).toBeNull();
    expect(procSysList(w, ns, '/proc/sys/net/ipv4/neigh')).toEqual(['lo', 'veth0']);
    expect(sysctlStat(w, ns, 'net.ipv4.neigh.veth0.gc_thresh1')).toBeNull();
    expect(sysctlStat(w, ns, 'net.ipv4.neigh.veth0.ucast_solicit')?.type).toBe('file');
  });

  test('sysctl -a order: each directory level sorted by name (ip_forward before ip_forward_update_priority)', () => {
    const { w, ns } = world('veth0', 'veth1');
    const keys = sysctlKeys(w, ns);
    expect(keys.filter((k) => k.includes('ip_forward'))).toEqual([
      'net.ipv4.ip_forward',
      'net.ipv4.ip_forward_update_priority',
      'net.ipv4.ip_forward_use_pmtu',
    ]);
    expect(keys.filter((k) => /ipv4\.conf.*forwarding/.test(k))).toEqual(
      ['all', 'default', 'lo', 'veth0', 'veth1'].flatMap((d) => ['bc_forwarding', 'forwarding', 'mc_forwarding'].map((l) => `net.ipv4.conf.${d}.${l}`)),
    );
    // a directory's entries stay together: conf.* before "conf_something" would split otherwise
    const i = keys.indexOf('net.ipv4.conf.veth1.tag');
    const j = keys.indexOf('net.ipv4.fib_multipath_hash_fields');
    expect(i).toBeGreaterThan(-1);
    expect(i).toBeLessThan(j);
  });
});

describe('values and couplings', () => {
  test('ip_forward is conf.all.forwarding, and a change reaches default and every device', () => {
    const { w, ns } = world('veth0');
    sysctlSet(w, ns, 'net.ipv4.conf.all.forwarding', '1\n');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_forward')).toBe('1');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.default.forwarding')).toBe('1');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.veth0.forwarding')).toBe('1');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.all.accept_redirects')).toBe('0');
    expect(ipv4ForwardingOn(w, ns, 'veth0')).toBe(true);
    sysctlSet(w, ns, 'net.ipv4.ip_forward', '0');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.all.forwarding')).toBe('0');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.lo.forwarding')).toBe('0');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.all.accept_redirects')).toBe('1');
  });

  test('a device key does not touch the others', () => {
    const { w, ns } = world('veth0', 'veth1');
    sysctlSet(w, ns, 'net.ipv4.conf.veth0.forwarding', '1');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_forward')).toBe('0');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.veth1.forwarding')).toBe('0');
    expect(ipv4ForwardingOn(w, ns, 'veth0')).toBe(true);
    expect(ipv4ForwardingOn(w, ns, 'veth1')).toBe(false);
  });

  test('a new device copies the current default values; a removed one forgets its own', () => {
    const { w, ns } = world();
    sysctlSet(w, ns, 'net.ipv4.conf.default.rp_filter', '2');
    const n = w.ns(ns);
    n.links.push({ ...structuredClone(n.links[0]!), ifindex: 2, name: 'eth0', kind: 'veth', mtu: 1500 });
    sysctlLinkAdded(w, ns, 'eth0');
    sysctlSet(w, ns, 'net.ipv4.conf.default.rp_filter', '1');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.eth0.rp_filter')).toBe('2');
    n.links.pop();
    sysctlLinkRemoved(w, ns, 'eth0');
    expect(Object.keys(n.sysctl).some((k) => k.includes('.eth0.'))).toBe(false);
  });

  test('ipv6 forwarding and disable_ipv6 of "all" propagate to default and every device', () => {
    const { w, ns } = world('veth0');
    sysctlSet(w, ns, 'net.ipv6.conf.all.disable_ipv6', '1');
    expect(sysctlGet(w, ns, 'net.ipv6.conf.veth0.disable_ipv6')).toBe('1');
    expect(sysctlGet(w, ns, 'net.ipv6.conf.default.disable_ipv6')).toBe('1');
    sysctlSet(w, ns, 'net.ipv6.conf.all.forwarding', '1');
    expect(sysctlGet(w, ns, 'net.ipv6.conf.lo.forwarding')).toBe('1');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_forward')).toBe('0');
  });

  test('vectors print tab separated; devices report their own mtu', () => {
    const { w, ns } = world('veth0');
    sysctlSet(w, ns, 'net.ipv4.ip_local_port_range', '1024 65000');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_local_port_range')).toBe('1024\t65000');
    expect(sysctlGet(w, ns, 'net.ipv6.conf.veth0.mtu')).toBe('1500');
    expect(sysctlGet(w, ns, 'net.ipv6.conf.lo.mtu')).toBe('65536');
  });
});

describe('validation', () => {
  test('integers as the kernel parses them', () => {
    expect(parseIntVector('0x10', 1)).toEqual([16n]);
    expect(parseIntVector('010', 1)).toEqual([8n]);
    expect(parseIntVector(' 1\n', 1)).toEqual([1n]);
    expect(parseIntVector('1abc', 1)).toBeNull();
    expect(parseIntVector('abc', 1)).toBeNull();
    expect(parseIntVector('', 1)).toBeNull();
  });

  test('bad values give EINVAL and leave the value alone', () => {
    const { w, ns } = world();
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_forward', 'abc'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_default_ttl', '0'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_default_ttl', '256'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_local_port_range', '60999 32768'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_local_port_range', '1000'))).toBe('EINVAL');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_forward')).toBe('0');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_default_ttl')).toBe('64');
  });

  test('ranges measured on the capture kernel', () => {
    const { w, ns } = world('eth0');
    // tcp_syncookies is a u8; ip_forward any int; ping_group_range gids up to 2^32-2
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.tcp_syncookies', '3'))).toBe('ok');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.tcp_syncookies', '256'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_forward', '-5'))).toBe('ok');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_forward', '2147483648'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ping_group_range', '0 4294967294'))).toBe('ok');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ping_group_range', '0 4294967295'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.conf.eth0.rp_filter', '-1'))).toBe('ok');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv6.conf.eth0.ioam6_enabled', '2'))).toBe('EINVAL');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.icmp_ratelimit', '-1'))).toBe('EINVAL');
  });

  test('a vector written with fewer numbers keeps its tail; the port range checks order and privilege', () => {
    const { w, ns } = world();
    sysctlSet(w, ns, 'net.ipv4.tcp_rmem', '7');
    expect(sysctlGet(w, ns, 'net.ipv4.tcp_rmem')).toBe('7\t131072\t33554432');
    sysctlSet(w, ns, 'net.ipv4.ip_local_port_range', '2000');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_local_port_range')).toBe('2000\t60999');
    sysctlSet(w, ns, 'net.ipv4.ip_local_port_range', '3000 3000');
    expect(sysctlGet(w, ns, 'net.ipv4.ip_local_port_range')).toBe('3000\t3000');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_local_port_range', '1000 2000'))).toBe('EINVAL');
    // a lower end above the upper resets ping_group_range to "1 0"
    sysctlSet(w, ns, 'net.ipv4.ping_group_range', '5');
    expect(sysctlGet(w, ns, 'net.ipv4.ping_group_range')).toBe('1\t0');
  });

  test('time keys print back what their jiffies keep (HZ 250, USER_HZ 100)', () => {
    const { w, ns } = world('eth0');
    sysctlSet(w, ns, 'net.ipv4.icmp_ratelimit', '1001');
    expect(sysctlGet(w, ns, 'net.ipv4.icmp_ratelimit')).toBe('1004');
    sysctlSet(w, ns, 'net.ipv4.neigh.eth0.base_reachable_time_ms', '1');
    expect(sysctlGet(w, ns, 'net.ipv4.neigh.eth0.base_reachable_time_ms')).toBe('4');
    sysctlSet(w, ns, 'net.ipv4.neigh.eth0.locktime', '7');
    expect(sysctlGet(w, ns, 'net.ipv4.neigh.eth0.locktime')).toBe('6');
    sysctlSet(w, ns, 'net.ipv6.neigh.eth0.proxy_delay', '-1');
    expect(sysctlGet(w, ns, 'net.ipv6.neigh.eth0.proxy_delay')).toBe('-0');
    sysctlSet(w, ns, 'net.ipv4.conf.eth0.igmpv2_unsolicited_report_interval', '1001');
    expect(sysctlGet(w, ns, 'net.ipv4.conf.eth0.igmpv2_unsolicited_report_interval')).toBe('1001');
  });

  test('modes: read-only, write-only, missing', () => {
    const { w, ns } = world();
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.conf.all.mc_forwarding', '1'))).toBe('EPERM');
    expect(errno(() => procSysWrite(w, ns, '/proc/sys/net/ipv4/conf/all/mc_forwarding', '1'))).toBe('EACCES');
    expect(errno(() => sysctlGet(w, ns, 'net.ipv4.route.flush'))).toBe('EACCES');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.route.flush', '1'))).toBe('ok');
    expect(errno(() => sysctlGet(w, ns, 'net.ipv4.ip_forwarding'))).toBe('ENOENT');
    expect(errno(() => sysctlSet(w, ns, 'net.ipv4.ip_forwarding', '1'))).toBe('ENOENT');
    expect(errno(() => sysctlGet(w, ns, 'net.ipv6.conf.all.stable_secret'))).toBe('EIO');
  });

  test('br_netfilter normalises any non-zero value to 1', () => {
    const { w, ns } = world();
    sysctlSet(w, ns, 'net.bridge.bridge-nf-call-iptables', '7');
    expect(sysctlGet(w, ns, 'net.bridge.bridge-nf-call-iptables')).toBe('1');
    sysctlSet(w, ns, 'net.bridge.bridge-nf-filter-vlan-tagged', '-1');
    expect(sysctlGet(w, ns, 'net.bridge.bridge-nf-filter-vlan-tagged')).toBe('1');
    sysctlSet(w, ns, 'net.bridge.bridge-nf-call-iptables', '0');
    expect(sysctlGet(w, ns, 'net.bridge.bridge-nf-call-iptables')).toBe('0');
  });

  test('any write either succeeds or fails with a KernelError, and a read after it agrees', () => {
    const { w, ns } = world('veth0');
    const keys = sysctlKeys(w, ns);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.oneof(fc.string(), fc.integer().map(String), fc.constant('1 2 3')), (key, text) => {
        let ok = true;
        try {
          sysctlSet(w, ns, key, text);
        } catch (e) {
          if (!isKernelError(e)) throw e;
          ok = false;
        }
        if (ok && (sysctlStat(w, ns, key)!.mode & 0o400)) {
          try {
            sysctlGet(w, ns, key);
          } catch (e) {
            if (!isKernelError(e)) throw e;
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('/proc/sys', () => {
  test('read, write and list through paths', () => {
    const { w, ns } = world('veth0');
    expect(procSysRead(w, ns, '/proc/sys/net/ipv4/ip_forward')).toBe('0\n');
    procSysWrite(w, ns, '/proc/sys/net/ipv4/ip_forward', '1\n');
    expect(procSysRead(w, ns, '/proc/sys/net/ipv4/conf/veth0/forwarding')).toBe('1\n');
    expect(procSysRead(w, ns, '/proc/sys/net/ipv4/nosuch')).toBeNull();
    // the shell's O_TRUNC open writes nothing: no change, no error
    procSysWrite(w, ns, '/proc/sys/net/ipv4/ip_forward', '');
    expect(procSysRead(w, ns, '/proc/sys/net/ipv4/ip_forward')).toBe('1\n');
    expect(procSysList(w, ns, '/proc/sys')).toEqual(['net']);
    expect(procSysList(w, ns, '/proc/sys/net')).toEqual(['bridge', 'core', 'ipv4', 'ipv6', 'mptcp', 'netfilter', 'unix']);
    expect(procSysList(w, ns, '/proc/sys/net/ipv4/ip_forward')).toBeNull();
    expect(errno(() => procSysRead(w, ns, '/proc/sys/net/ipv4'))).toBe('EISDIR');
  });
});
