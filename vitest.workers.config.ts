import { defineConfig } from 'vitest/config';
import FailedNamesReporter from './test/support/failed-names-reporter.ts';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { TEST_ADMIN_TOKEN, TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from './test/support/test-env.ts';
import { dropKnownWorkerdNoise } from './test/support/node/workerd-noise.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzRuns: string;
    fuzzSeed: string;
  }
}

// workerd's expected teardown and refused-connection lines, which read like failures (see there).
dropKnownWorkerdNoise();

// Integration tests inside workerd, against a real local libSQL server that the
// global setup starts on a free port.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: './workers/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          ISSUER: TEST_ISSUER,
          ADMIN_TOKEN: TEST_ADMIN_TOKEN,
          KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET,
          LIBSQL_URL: inject('libsqlUrl'),
          LOG_LEVEL: 'warn',
        },
      },
    })),
  ],
  test: {
    // vitest's own report, then the failed tests' names and a closing count (test/support/failed-names-reporter.ts).
    reporters: ['default', new FailedNamesReporter()],
    include: ['test/worker/**/*.test.ts'],
    globalSetup: ['test/support/node/libsql-global-setup.ts', 'test/support/node/logout-receiver-global-setup.ts', 'test/support/node/redis-global-setup.ts'],
    testTimeout: 20_000,
    // The bad-input fuzz (test/worker/fuzz): FUZZ_RUNS multiplies its CI case count, FUZZ_SEED replays a run.
    provide: { fuzzRuns: process.env.FUZZ_RUNS ?? '', fuzzSeed: process.env.FUZZ_SEED ?? '' },
  },
});
