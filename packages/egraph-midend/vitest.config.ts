import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'egraph-midend',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: true,
    // The corpus suites optimize and interpret every upstream file.
    testTimeout: 300_000,
  },
});
