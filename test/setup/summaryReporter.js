/**
 * Ends the run with the plain line CI reads ("N passed, N failed, N skipped"). Jest prints its own
 * summary after every custom reporter, so the line is written when the process exits.
 */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    // A file can fail outside its tests (it does not compile, or leaves an unhandled rejection behind).
    const outside = results.numRuntimeErrorTestSuites > 0 ? `, ${results.numRuntimeErrorTestSuites} test file(s) failed outside their tests` : "";
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped${outside}`;
    process.once("exit", () => process.stderr.write(`\n${line}\n`));
  }
}
module.exports = SummaryLineReporter;
