// A Session's limits on one line when its caller gives none (npm run shell, the fidelity replay, unit tests); the
// page's worker gives its own (worker.ts BROWSER_LIMITS). The wall-clock deadline is the one limit that depends on
// the machine rather than on the line: the unit tests (src/test-setup.ts) make it a generous hang guard, so that a
// loaded machine cannot end a line the test expects to finish (the tests of the deadline give their own limits).
export const SESSION_LIMITS = { maxCommandCount: 20000, maxLoopIterations: 20000, maxExecutionTimeMs: 5000 };
