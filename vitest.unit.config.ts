import { defineConfig } from 'vitest/config';
import FailedNamesReporter from './test/support/failed-names-reporter.ts';

// Plain Node tests: pure functions of src/, and the local stack in scripts/.
export default defineConfig({
  test: {
    // vitest's own report, then the failed tests' names and a closing count (test/support/failed-names-reporter.ts).
    reporters: ['default', new FailedNamesReporter()],
    include: ['test/node/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
