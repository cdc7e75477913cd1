// Tracing changes nothing: every real-Linux transcript whose commands send
// packets replays to the very same raw output (round-trip times included)
// with the packet trace recorder open (src/sim/trace.ts) as without it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusScenarios, fixturesDir } from './fidelity';
import { replay, scenarioDirective } from './replay';
import { traceStart, traceStop } from '../sim/trace';
// the fixtures that name a scenario need the course's catalogue (a test may reach above its layer)
import { getScenario } from '../labs/scenarios/index';

const PACKETS = /\b(ping|traceroute|curl|wget|nc|dig|nslookup|host|ssh)\b/;

describe('the packet trace does not change any transcript', () => {
  for (const dir of [corpusDir(), fixturesDir()]) {
    for (const name of corpusScenarios(dir)) {
      const text = readFileSync(join(dir, name, 'commands.sh'), 'utf8');
      if (!PACKETS.test(text)) continue;
      it(`${dir === corpusDir() ? 'corpus' : 'fixtures'}/${name}`, async () => {
        const d = scenarioDirective(text);
        const opts = { ...(d.name !== undefined ? { scenario: getScenario(d.name) } : {}), ...(d.host ? { host: d.host } : {}) };
        const plain = await replay(text, opts);
        const rec = traceStart();
        let traced;
        try {
          traced = await replay(text, opts);
        } finally {
          traceStop(rec);
        }
        expect(traced).toEqual(plain);
      });
    }
  }
});
