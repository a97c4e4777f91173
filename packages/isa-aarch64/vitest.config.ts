import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'isa-aarch64',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: true,
  },
});
