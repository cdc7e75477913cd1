import { describe, expect, it } from 'vitest';
import { replay } from '../shell/replay';

// ss -s as iproute2 6.1 prints it on the capture machine (kernel 6.18): Total is /proc/net/sockstat's
// `sockets: used` (the namespace's user sockets plus ss's own), TCP alloc is machine-wide (2 there),
// closed = alloc - (hashed - timewait). Expected figures from a real capture with these daemons.
const summary = (total: number, tcp: number, estab: number, closed: number, udp4: number, udp6: number, tcp4: number, tcp6: number) =>
  `Total: ${total}\n` +
  `TCP:   ${tcp} (estab ${estab}, closed ${closed}, orphaned 0, timewait 0)\n\n` +
  'Transport Total     IP        IPv6\n' +
  `RAW\t  ${'0'.padEnd(9)} ${'0'.padEnd(9)} ${'0'.padEnd(9)}\n` +
  `UDP\t  ${String(udp4 + udp6).padEnd(9)} ${String(udp4).padEnd(9)} ${String(udp6).padEnd(9)}\n` +
  `TCP\t  ${String(tcp4 + tcp6).padEnd(9)} ${String(tcp4).padEnd(9)} ${String(tcp6).padEnd(9)}\n` +
  `INET\t  ${String(udp4 + udp6 + tcp4 + tcp6).padEnd(9)} ${String(udp4 + tcp4).padEnd(9)} ${String(udp6 + tcp6).padEnd(9)}\n` +
  `FRAG\t  ${'0'.padEnd(9)} ${'0'.padEnd(9)} ${'0'.padEnd(9)}\n\n`;

describe('ss -s', () => {
  it('counts sockets as /proc/net/sockstat and ss.c print_summary do', async () => {
    const blocks = await replay(
      [
        '@ip link set lo up',
        'ss -s',
        '@daemon web tcp:0.0.0.0:8080',
        'ss -s',
        '@daemon dns udp:127.0.0.1:5353 udp6:[::1]:5353',
        'ss -s',
        '@daemon api tcp46:[::]:6443 tcp6:[::1]:2379',
        'ss -s',
        '@daemon cli conn:127.0.0.1:40000-127.0.0.1:8080',
        'ss -s',
      ].join('\n') + '\n',
    );
    expect(blocks.map((b) => [b.output, b.exitCode])).toEqual([
      [summary(1, 2, 0, 2, 0, 0, 0, 0), 0],
      [summary(2, 3, 0, 2, 0, 0, 1, 0), 0],
      [summary(4, 3, 0, 2, 1, 1, 1, 0), 0],
      [summary(6, 5, 0, 2, 1, 1, 1, 2), 0],
      [summary(8, 7, 2, 2, 1, 1, 3, 2), 0],
    ]);
  });
});
