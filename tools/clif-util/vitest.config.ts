import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'clif-util',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: true,
  },
});
