// Ends every test run with the names of the tests that failed, after vitest's
// own summary, so a red CI log says what broke in its last lines; then the
// plain "N passed, N failed" line.
import type { Reporter, TestModule } from 'vitest/node';

export default class FailedNamesReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const failed: string[] = [];
    let passed = 0;
    let skipped = 0;
    for (const module of modules) {
      let testFailed = false;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'failed') {
          failed.push(`${module.relativeModuleId} › ${test.fullName}`);
          testFailed = true;
        } else if (state === 'passed') passed++;
        else skipped++;
      }
      // A module that failed outside its tests (a syntax error, a failing beforeAll, which
      // skips every test) has no failed test to name: name the module.
      if (!testFailed && module.state() === 'failed') failed.push(`${module.relativeModuleId} (failed outside its tests: see its error above)`);
    }
    const lines = ['', `Failed: ${failed.length === 0 ? 'none' : ''}`, ...failed.map((name) => `  ✗ ${name}`)];
    if (unhandledErrors.length > 0) lines.push(`  ✗ ${unhandledErrors.length} unhandled error(s) outside any test`);
    lines.push(`${passed} passed, ${failed.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
