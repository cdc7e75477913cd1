// Every unit test runs with the incremental snapshot checked against a whole one (src/sim/ns-table.ts): a namespace
// changed without being reached through world.state.namespaces would throw where it happens.
import { World } from './sim/world';
import { SESSION_LIMITS } from './shell/limits';

World.checkSnapshots = true;

// A line's wall-clock deadline (5 s for `npm run shell`) is a hang guard here, as long as a test's own: at load 15 on
// this 2-core machine a 85 ms kubectl line took 4.1 s of wall time, and at load 20-30 such lines ended with exit 124.
// The tests of the deadline itself give their own limits (fullscreen.test.ts); loop and command counts stay.
SESSION_LIMITS.maxExecutionTimeMs = 60_000;
