import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each test file starts its own emulators on free loopback ports; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
