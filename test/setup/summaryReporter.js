/**
 * Ends the run with the plain line CI reads ("N passed, N failed, N skipped"). Jest prints its own
 * summary after every custom reporter, so the line is written when the process exits.
 */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.once("exit", () => process.stderr.write(`\n${line}\n`));
  }
}
module.exports = SummaryLineReporter;
