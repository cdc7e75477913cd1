// The fuzz run: lines (./lines.ts) on every scenario, each scenario restored from its start every RESET lines;
// after each line the kernel's invariants (src/sim/invariants.ts), every ROUND_TRIP lines a save/restore round
// trip (the snapshot of the restored session must equal the one it came from), and the line's time.
import { Session, type SessionSnapshot } from '../../shell/session';
import { BROWSER_LIMITS } from '../../shell/worker';
import { checkInvariants } from '../../sim/invariants';
import { getScenario } from '../scenarios/index';
import { World } from '../../sim/world';

export interface Finding {
  kind: 'internal error' | 'over 100 ms' | 'invariant' | 'save/restore';
  scenario: string;
  line: string;
  detail: string;
}

export interface FuzzReport {
  lines: number;
  internalErrors: number;
  slow: number;
  violations: number;
  mismatches: number;
  findings: Finding[];
}

export interface FuzzOptions {
  scenarios: string[];
  /** lines before the scenario is restored from its start */
  reset?: number;
  /** a save/restore round trip every this many lines */
  roundTrip?: number;
  /** called after each line (progress) */
  onLine?: (i: number, r: FuzzReport) => void;
  /** how a line is run (tests put a faulty tool here to see that the checks see it) */
  run?: (s: Session, line: string) => Promise<{ output: string }>;
}

export const SLOW_MS = 100;

/**
 * The processor time this process spent (ms): a line's own cost. On a machine shared with other jobs the wall
 * clock also counts the time the line waited for a processor; both are reported for a slow line.
 */
const cpuNow = (): number => {
  const u = globalThis.process?.cpuUsage?.();
  return u ? (u.user + u.system) / 1000 : performance.now();
};

export function summary(r: FuzzReport): string {
  return `fuzz: ${r.lines} lines, ${r.internalErrors} internal errors, ${r.slow} over ${SLOW_MS} ms, ${r.violations} invariant violations, ${r.mismatches} save/restore mismatches`;
}

/** the same world with its wall-clock-free fields only (a restore must give back exactly what was saved) */
const stable = (s: SessionSnapshot) => JSON.stringify(s);

export async function runFuzz(lines: string[], opts: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { lines: 0, internalErrors: 0, slow: 0, violations: 0, mismatches: 0, findings: [] };
  // every snapshot is also made whole and compared with the incremental one (src/sim/ns-table.ts)
  const checked = World.checkSnapshots;
  World.checkSnapshots = true;
  try {
    return await fuzzLoop(lines, opts, report);
  } finally {
    World.checkSnapshots = checked;
  }
}

async function fuzzLoop(lines: string[], opts: FuzzOptions, report: FuzzReport): Promise<FuzzReport> {
  const reset = opts.reset ?? 25;
  const every = opts.roundTrip ?? 5;
  const starts = new Map<string, { snap: SessionSnapshot; known: Set<string> }>();
  const start = async (name: string) => {
    let st = starts.get(name);
    if (!st) {
      const s = await Session.create({ scenario: getScenario(name), seed: 1, limits: BROWSER_LIMITS });
      // what the scenario's start already violates is not the fuzzer's finding (reported apart by the kernel's tests)
      st = { snap: s.snapshot(), known: new Set(checkInvariants(s.world)) };
      starts.set(name, st);
    }
    return st;
  };
  let session: Session | null = null;
  let scenario = '';
  let known = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    if (i % reset === 0) {
      scenario = opts.scenarios[Math.floor(i / reset) % opts.scenarios.length]!;
      const st = await start(scenario);
      known = st.known;
      session = await Session.restore(st.snap, { limits: BROWSER_LIMITS });
    }
    const line = lines[i]!;
    const s = session!;
    const t0 = performance.now();
    const c0 = cpuNow();
    let output: string;
    try {
      output = (await (opts.run ?? ((x: Session, l: string) => x.run(l)))(s, line)).output;
    } catch (e) {
      output = `internal error: thrown by Session.run: ${e instanceof Error ? e.message : String(e)}`;
    }
    const ms = cpuNow() - c0;
    const wall = performance.now() - t0;
    report.lines++;
    if (/internal error/.test(output)) {
      report.internalErrors++;
      report.findings.push({ kind: 'internal error', scenario, line, detail: output.slice(0, 300) });
    }
    if (ms > SLOW_MS) {
      report.slow++;
      report.findings.push({ kind: 'over 100 ms', scenario, line, detail: `${Math.round(ms)} ms of processor time (${Math.round(wall)} ms wall)` });
    }
    const errs = checkInvariants(s.world).filter((e) => !known.has(e));
    if (errs.length) {
      report.violations++;
      report.findings.push({ kind: 'invariant', scenario, line, detail: errs.slice(0, 3).join('; ') });
      // go on from a sound state
      session = await Session.restore((await start(scenario)).snap, { limits: BROWSER_LIMITS });
    } else if (i % every === every - 1) {
      let snap: SessionSnapshot | null = null;
      let back: Session | null = null;
      try {
        snap = s.snapshot();
        back = await Session.restore(snap, { limits: BROWSER_LIMITS, untrusted: true });
      } catch (e) {
        report.mismatches++;
        report.findings.push({ kind: 'save/restore', scenario, line, detail: e instanceof Error ? e.message : String(e) });
      }
      if (back && snap) {
        if (stable(back.snapshot()) !== stable(snap)) {
          report.mismatches++;
          report.findings.push({ kind: 'save/restore', scenario, line, detail: 'the restored session saves differently' });
        }
        // carry on in the restored session, so that what a reload gives back is what the next lines run on
        session = back;
      }
    }
    opts.onLine?.(i, report);
  }
  return report;
}
