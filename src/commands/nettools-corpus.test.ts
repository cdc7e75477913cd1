// Replays the real-Linux transcripts of ./nettools-corpus (captured with the
// fidelity corpus's capture.sh: route add/del through the ioctls, ifconfig
// settings, sockets with names and ss filters, the ARP table) and requires
// every command to match after the corpus normaliser.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkScenario, corpusScenarios, diffBlock } from '../shell/fidelity';

const dir = fileURLToPath(new URL('./nettools-corpus', import.meta.url));

describe('net-tools and ss against real Linux transcripts', () => {
  const names = corpusScenarios(dir);
  it('has the scenarios', () => {
    expect(names).toEqual(['arp-table', 'connections-across-namespaces', 'help-usage', 'ifconfig-flags', 'ifconfig-settings', 'multicast-groups', 'proc-net-files', 'route-ioctl', 'sockets-names-filters']);
  });
  for (const name of names) {
    it(name, async () => {
      const res = await checkScenario(name, dir);
      const bad = res.commands.filter((c) => !c.identical);
      const report = bad.map((c) => `--- #${c.index + 1}: $ ${c.command}\n${diffBlock(c.expected, c.actual)}`).join('\n\n');
      expect(bad.length, report).toBe(0);
    }, 120_000);
  }
});
