import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'egraph-midend',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: true,
  },
});
