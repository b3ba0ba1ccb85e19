// The example's own vitest setup: its tests import `jumpback` from node_modules, like any user's.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
