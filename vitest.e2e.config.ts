import { defineConfig } from 'vitest/config';
import FailedNamesReporter from './test/support/failed-names-reporter.ts';

// Black-box tests against `npm start` on free ports with temporary data.
export default defineConfig({
  test: {
    // vitest's own report, then the failed tests' names and a closing count (test/support/failed-names-reporter.ts).
    reporters: ['default', new FailedNamesReporter()],
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
