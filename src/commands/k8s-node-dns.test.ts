import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios';

describe('cluster DNS on the k8s-node scenario', () => {
  it('nslookup of a name CoreDNS forwards ends in a timeout, not a crash; cluster names answer', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-node'), seed: 1, columns: 80 });
    const run = (l: string) => s.run(l, { fresh: true, noHistory: true });
    // CoreDNS forwards web.default. to the node's upstream, which does not answer here
    expect(await run('nslookup web.default 10.96.0.10')).toEqual({
      output: ';; communications error to 10.96.0.10#53: timed out\n'.repeat(3) + ';; no servers could be reached\n\n',
      exitCode: 1,
    });
    expect((await run('nslookup web.default.svc.cluster.local 10.96.0.10')).output).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.104.83.201\n\n');
  });
});
