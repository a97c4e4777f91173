import { defineConfig } from 'vitest/config';

// One run over every package, so the whole suite reports a single tally.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tools/*'],
  },
});
