import { defineConfig } from 'vitest/config';

// Plain Node tests: pure functions of src/, and the local stack in scripts/.
export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
