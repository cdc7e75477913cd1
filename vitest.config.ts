import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'content/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test-setup.ts'],
    pool: 'threads',
    // a hang guard, not a speed test (speed is measured by npm run bench): on this 2-core machine under
    // parallel load a Session on a cluster scenario can take several seconds to build
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
