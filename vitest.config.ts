import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'content/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test-setup.ts'],
    pool: 'threads',
    // vitest's default in a run is one worker fewer than the cores: one on this 2-core machine, where the files
    // then ran one after another while the main thread (collecting results) sat nearly idle
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // a hang guard, not a speed test (speed is measured by npm run bench): on this 2-core machine under
    // parallel load a Session on a cluster scenario can take several seconds to build
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
