import { defineConfig } from 'vitest/config';

// Black-box tests against `npm start` on free ports with temporary data.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
