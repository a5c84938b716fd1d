const NodeEnvironment = require("jest-environment-node").TestEnvironment;

/** How long a test file's teardown waits for rejections its last work left behind. */
const SETTLE_MS = 50;

/**
 * jest's node environment, plus: any unhandled promise rejection or uncaught exception fails the
 * test file. While tests run, jest-circus already fails the running test on one; this also catches
 * those that arrive after the file's last hook (a query its server left behind, say), which jest
 * would otherwise pin on the next file's test or lose, and fails the file in its teardown.
 */
class StrictEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.failures = [];
    this.record = (kind) => (error) => this.failures.push(`${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    this.onRejection = this.record("unhandled rejection");
    this.onException = this.record("uncaught exception");
  }

  listen() {
    process.off("unhandledRejection", this.onRejection).on("unhandledRejection", this.onRejection);
    process.off("uncaughtException", this.onException).on("uncaughtException", this.onException);
  }

  async setup() {
    await super.setup();
    this.listen();
  }

  /** jest-circus replaces the process's listeners while tests run, and does not give ours back. */
  handleTestEvent(event) {
    if (event.name === "run_finish") this.listen();
  }

  async teardown() {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    process.off("unhandledRejection", this.onRejection);
    process.off("uncaughtException", this.onException);
    await super.teardown();
    if (this.failures.length > 0) {
      throw new Error(`${this.failures.length} unhandled error(s) after the tests of ${this.testPath} ended:\n${this.failures.join("\n")}`);
    }
  }
}

module.exports = StrictEnvironment;
