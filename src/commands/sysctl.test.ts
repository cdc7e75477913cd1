import { describe, expect, test } from 'vitest';
import { World } from '../sim/world';
import type { Link } from '../sim/types';
import { readHostFile, seedHostFiles, writeHostFile } from '../sim/files';
import type { CmdIO, Sys } from './types';
import { sysctl } from './sysctl';

function setup(...links: string[]) {
  const w = World.create();
  const h = w.addHost('controlplane');
  seedHostFiles(h);
  const ns = w.ns(h.rootNs);
  for (const name of links) ns.links.push({ ...structuredClone(ns.links[0]!), ifindex: ns.nextIfindex++, name, kind: 'veth', mtu: 1500 } as Link);
  const sys: Sys = {
    world: w,
    host: h.id,
    ns: h.rootNs,
    tty: true,
    columns: 80,
    withNs: (_ns, fn) => fn(),
    readFile: (p) => readHostFile(h, p),
    writeFile: (p, c) => writeHostFile(h, p, c),
  } as Sys;
  const run = async (line: string, stdin = '') => {
    const io: CmdIO = { stdin, cwd: '/root', env: {}, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
    const r = await sysctl.run(line === '' ? [] : line.split(' '), io, sys);
    return { out: r.stdout, err: r.stderr, code: r.exitCode };
  };
  return { w, h, sys, run };
}

describe('sysctl (procps-ng 4.0.2)', () => {
  test('read, -n, -w and the ip_forward / conf.all.forwarding equivalence', async () => {
    const { run } = setup('veth0');
    expect(await run('net.ipv4.ip_forward')).toEqual({ out: 'net.ipv4.ip_forward = 0\n', err: '', code: 0 });
    expect(await run('-w net.ipv4.conf.all.forwarding=1')).toEqual({ out: 'net.ipv4.conf.all.forwarding = 1\n', err: '', code: 0 });
    expect((await run('-n net.ipv4.ip_forward')).out).toBe('1\n');
    expect((await run('net/ipv4/conf/veth0/forwarding')).out).toBe('net.ipv4.conf.veth0.forwarding = 1\n');
    // a value with = is a write even without -w; -q silences the echo
    expect(await run('-q net.ipv4.ip_forward=0')).toEqual({ out: '', err: '', code: 0 });
    expect((await run('-b net.ipv4.ip_local_port_range')).out).toBe('32768\t60999');
  });

  test('error messages and exit codes', async () => {
    const { run } = setup();
    expect(await run('net.ipv4.ip_forwarding')).toEqual({ out: '', err: 'sysctl: cannot stat /proc/sys/net/ipv4/ip_forwarding: No such file or directory\n', code: 1 });
    expect(await run('-e net.ipv4.ip_forwarding')).toEqual({ out: '', err: '', code: 0 });
    expect(await run('-w net.ipv4.ip_forward')).toEqual({ out: '', err: 'sysctl: command line(0): invalid syntax, continuing...\n', code: 1 });
    expect(await run('-w net.ipv4.ip_forward 1')).toEqual({ out: '', err: 'sysctl: command line(0): invalid syntax, continuing...\n', code: 1 });
    expect(await run('-w net.ipv4.ip_forward=abc')).toEqual({ out: '', err: 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n', code: 1 });
    // read-only keys and directories: a stale errno (EINVAL) and exit status 0, as procps 4.0.2 does
    expect(await run('-w net.ipv4.conf.all.mc_forwarding=1')).toEqual({ out: '', err: 'sysctl: setting key "net.ipv4.conf.all.mc_forwarding": Invalid argument\n', code: 0 });
    expect(await run('-w net.ipv4.conf=1')).toEqual({ out: '', err: 'sysctl: setting key "net.ipv4.conf": Invalid argument\n', code: 0 });
    expect(await run('-w net.ipv4.tcp_congestion_control=cubic')).toEqual({ out: '', err: 'sysctl: setting key "net.ipv4.tcp_congestion_control": Operation not permitted\n', code: 1 });
    expect(await run('-n')).toEqual({ out: '', err: "sysctl: no variables specified\nTry `sysctl --help' for more information.\n", code: 1 });
    const usage = await run('');
    expect(usage.code).toBe(1);
    expect(usage.err).toMatch(/^\nUsage:\n sysctl \[options\] \[variable\[=value\] \.\.\.\]\n/);
    expect(await run('--version')).toEqual({ out: 'sysctl from procps-ng 4.0.2\n', err: '', code: 0 });
  });

  test('-a lists every key once, sorted per directory, and skips deprecated names', async () => {
    const { run } = setup('veth0', 'veth1');
    const r = await run('-a');
    const lines = r.out.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('ip_forward'))).toEqual(['net.ipv4.ip_forward = 0', 'net.ipv4.ip_forward_update_priority = 1', 'net.ipv4.ip_forward_use_pmtu = 0']);
    expect(lines.some((l) => /\.base_reachable_time = /.test(l))).toBe(false);
    expect(lines.some((l) => /\.base_reachable_time_ms = /.test(l))).toBe(true);
    expect(new Set(lines.map((l) => l.split(' = ')[0])).size).toBe(lines.length);
    expect(lines.some((l) => l.startsWith('net.ipv4.route.flush'))).toBe(false);
    const withPattern = await run('-a -r ^net.ipv4.conf.veth1.*forwarding$');
    expect(withPattern.out).toBe('net.ipv4.conf.veth1.bc_forwarding = 0\nnet.ipv4.conf.veth1.forwarding = 0\nnet.ipv4.conf.veth1.mc_forwarding = 0\n');
    expect((await run('-N net.ipv4.conf.lo.forwarding')).out).toBe('net.ipv4.conf.lo.forwarding\n');
  });

  test('-p loads /etc/sysctl.conf or a given file, with comments, globs and line numbers in errors', async () => {
    const { h, run } = setup('eth0', 'eth1');
    expect(await run('-p')).toEqual({ out: '', err: '', code: 0 });
    writeHostFile(h, '/etc/sysctl.d/k8s.conf', '# kubernetes\nnet.bridge.bridge-nf-call-iptables = 1\nnet.ipv4.ip_forward                 = 1\n\nbogus line\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n');
    const r = await run('-p /etc/sysctl.d/k8s.conf');
    expect(r.err).toBe('sysctl: /etc/sysctl.d/k8s.conf(5): invalid syntax, continuing...\n');
    expect(r.out).toBe(
      'net.bridge.bridge-nf-call-iptables = 1\nnet.ipv4.ip_forward = 1\n' +
        ['default', 'eth0', 'eth1', 'lo'].map((d) => `net.ipv4.conf.${d}.rp_filter = 2\n`).join(''),
    );
    expect(r.code).toBe(0);
    expect((await run('-n net.ipv4.conf.all.rp_filter')).out).toBe('0\n');
    expect(await run('-p /etc/nosuch.conf')).toEqual({ out: '', err: 'sysctl: cannot open "/etc/nosuch.conf": No such file or directory\n', code: 1 });
    const sys = await run('--system');
    expect(sys.out.startsWith('* Applying /etc/sysctl.d/k8s.conf ...\n* Applying /etc/sysctl.conf ...\n')).toBe(true);
  });
});

describe('sysctl: device names with dots (procps swaps . and / in the key)', () => {
  test('net.ipv4.conf.eth0/10.* is /proc/sys/net/ipv4/conf/eth0.10/*, both ways, in -a and after a rename', async () => {
    const { Session } = await import('../shell/session');
    const s = await Session.create();
    await s.run('ip link add eth0.10 type veth peer name p0');
    expect((await s.run('sysctl net.ipv4.conf.eth0/10.forwarding')).output).toBe('net.ipv4.conf.eth0/10.forwarding = 0\n');
    expect((await s.run('sysctl net/ipv4/conf/eth0.10/forwarding')).output).toBe('net.ipv4.conf.eth0/10.forwarding = 0\n');
    expect((await s.run('sysctl -w net.ipv4.conf.eth0/10.rp_filter=2')).output).toBe('net.ipv4.conf.eth0/10.rp_filter = 2\n');
    expect((await s.run('cat /proc/sys/net/ipv4/conf/eth0.10/rp_filter')).output).toBe('2\n');
    expect((await s.run('ls -1 /proc/sys/net/ipv4/conf')).output).toBe('all\ndefault\neth0.10\nlo\np0\n');
    expect((await s.run('sysctl -a 2>/dev/null | grep "eth0/10.forw"')).output).toBe('net.ipv4.conf.eth0/10.forwarding = 0\nnet.ipv6.conf.eth0/10.forwarding = 0\n');
    await s.run('sysctl -w net.ipv4.ip_forward=1');
    expect((await s.run('cat /proc/sys/net/ipv4/conf/eth0.10/forwarding')).output).toBe('1\n');
    await s.run('ip link set eth0.10 name a.b');
    expect((await s.run('sysctl net.ipv4.conf.a/b.rp_filter')).output).toBe('net.ipv4.conf.a/b.rp_filter = 2\n');
    expect((await s.run('sysctl net.ipv4.conf.eth0/10.rp_filter')).exitCode).not.toBe(0);
    const { checkInvariants } = await import('../sim/invariants');
    expect(checkInvariants(s.world)).toEqual([]);
  });
});
