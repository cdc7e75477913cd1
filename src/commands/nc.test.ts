// nc's TCP client against a daemon that never reads (as fixture 92, captured on real Linux).
import { describe, expect, it } from 'vitest';
import { replay } from '../shell/replay';

describe('nc and the sockets it leaves', () => {
  it("leaves the daemon's side in CLOSE-WAIT with the FIN unread (Recv-Q 1), and -p cannot bind a port a FIN-WAIT-2 socket holds", async () => {
    const setup = ['ip link set lo up', 'ip netns add srv', 'ip link add h0 type veth peer name s0', 'ip link set s0 netns srv', 'ip addr add 10.92.0.1/24 dev h0', 'ip link set h0 up', 'ip -n srv link set lo up', 'ip -n srv addr add 10.92.0.2/24 dev s0', 'ip -n srv link set s0 up', 'daemon keeper -n srv tcp:0.0.0.0:80'];
    const lines = ['nc -zv -p 45000 10.92.0.2 80', 'ip netns exec srv ss -tnH state close-wait', 'nc -zv -p 45000 10.92.0.2 80', 'nc -zv -p 45001 10.92.0.2 80'];
    const blocks = await replay([...setup.map((l) => `@${l}`), ...lines].join('\n') + '\n');
    expect(blocks.map((b) => [b.output, b.exitCode])).toEqual([
      ['Connection to 10.92.0.2 80 port [tcp/http] succeeded!\n', 0],
      [expect.stringMatching(/^1 +0 +10\.92\.0\.2:80 +10\.92\.0\.1:45000 *\n$/), 0],
      ['nc: bind failed: Address already in use\n', 1],
      ['Connection to 10.92.0.2 80 port [tcp/http] succeeded!\n', 0],
    ]);
  });

  it('nc -l takes one connection, closes when the client does and exits (fixture 103); with -k it keeps listening', async () => {
    const setup = ['ip link set lo up', 'ip netns add srv', 'ip link add h0 type veth peer name s0', 'ip link set s0 netns srv', 'ip addr add 10.93.0.1/24 dev h0', 'ip link set h0 up', 'ip -n srv link set lo up', 'ip -n srv addr add 10.93.0.2/24 dev s0', 'ip -n srv link set s0 up', 'spawn ip netns exec srv nc -l 80', 'spawn ip netns exec srv nc -k -l 81'];
    const lines = [
      'echo hi | nc -N -p 45000 10.93.0.2 80; echo rc=$?',
      'ss -tanH',
      'echo hi | nc -N -p 45001 10.93.0.2 81; ip netns exec srv ss -tlnH',
      'nc -zv -w 1 10.93.0.2 80',
    ];
    const blocks = await replay([...setup.map((l) => `@${l}`), ...lines].join('\n') + '\n');
    expect(blocks.map((b) => [b.output, b.exitCode])).toEqual([
      ['rc=0\n', 0],
      // the client closed first: its side waits in TIME-WAIT; the server's nc has gone, with its listener
      [expect.stringMatching(/^TIME-WAIT +0 +0 +10\.93\.0\.1:45000 +10\.93\.0\.2:80 *\n$/), 0],
      [expect.stringMatching(/^LISTEN +0 +1 +0\.0\.0\.0:81 +0\.0\.0\.0:\* *\n$/), 0],
      ['nc: connect to 10.93.0.2 port 80 (tcp) failed: Connection refused\n', 1],
    ]);
  });
});
