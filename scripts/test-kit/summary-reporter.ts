import type { SerializedError } from "vitest";
import type { Reporter, TestModule, TestRunEndReason } from "vitest/node";

/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`,
 * that any CI can read whatever runner printed before it. A run that failed
 * outside any test (setup, a file that would not load, an unhandled error)
 * counts those failures too, so the line never says "0 failed" for a red run.
 * A test that passed only on its retry (browser tests get one) is named
 * above it, so flakiness is seen, not hidden.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>, reason: TestRunEndReason) {
    let passed = 0;
    let failed = errors.length;
    let skipped = 0;
    const flaky: string[] = [];
    for (const module of modules) {
      const tests = [...module.children.allTests()];
      for (const test of tests) {
        const state = test.result().state;
        if (test.diagnostic()?.flaky) flaky.push(`${module.moduleId.split("/").slice(-2).join("/")} > ${test.fullName}`);
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (module.state() === "failed" && !tests.some((t) => t.result().state === "failed")) failed++;
    }
    if (reason === "failed" && failed === 0) failed = 1;
    for (const name of flaky) console.log(`\npassed on its retry (flaky): ${name}`);
    console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped${flaky.length ? `, ${flaky.length} flaky` : ""}`);
  }
}
