import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Limits only catch a hang: tests wait for events, and on a busy 2-core machine a start-up that takes 3 s
    // when quiet can take 40 s or more. A slow test is not a failed one.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
