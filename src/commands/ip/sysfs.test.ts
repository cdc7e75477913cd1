import { describe, expect, it } from 'vitest';
import { Session } from '../../shell/session';

describe('/sys/class/net', () => {
  it('lists the devices and shows their attributes as net-sysfs.c does (values recorded in a namespace)', async () => {
    const s = await Session.create();
    await s.run('ip link add eth0.10 type veth peer name p0');
    expect((await s.run('ls -1 /sys/class/net')).output).toBe('eth0.10\nlo\np0\n');
    expect((await s.run('cat /sys/class/net/lo/address /sys/class/net/lo/flags /sys/class/net/lo/type /sys/class/net/lo/operstate /sys/class/net/lo/mtu')).output).toBe('00:00:00:00:00:00\n0x9\n772\nunknown\n65536\n');
    const mac = /link\/ether (\S+)/.exec((await s.run('ip link show eth0.10')).output)![1];
    expect((await s.run('cat /sys/class/net/eth0.10/address /sys/class/net/eth0.10/flags /sys/class/net/eth0.10/type /sys/class/net/eth0.10/operstate')).output).toBe(`${mac}\n0x1002\n1\ndown\n`);
    // carrier can only be read while the device is up
    expect((await s.run('cat /sys/class/net/eth0.10/carrier')).exitCode).toBe(1);
    await s.run('ip link set eth0.10 up');
    expect((await s.run('cat /sys/class/net/eth0.10/flags /sys/class/net/eth0.10/operstate /sys/class/net/eth0.10/carrier')).output).toBe('0x1003\nlowerlayerdown\n0\n');
    const peerIndex = /^(\d+):/.exec((await s.run('ip link show p0')).output)![1];
    expect((await s.run('cat /sys/class/net/eth0.10/iflink')).output).toBe(`${peerIndex}\n`);
    expect((await s.run('cat /sys/class/net/lo/statistics/rx_bytes')).output).toMatch(/^\d+\n$/);
    expect((await s.run('cat /sys/class/net/nope/mtu')).exitCode).toBe(1);
  });
});
