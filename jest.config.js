/** @type {import('jest').Config} */
module.exports = {
  // node, failing a test file on any unhandled rejection or uncaught exception (also after its last test).
  testEnvironment: "<rootDir>/test/setup/environment.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  globalSetup: "<rootDir>/test/setup/globalSetup.ts",
  globalTeardown: "<rootDir>/test/setup/globalTeardown.ts",
  setupFiles: ["reflect-metadata"],
  testTimeout: 60_000,
  // Two cores: one worker per core; each test file gets its own database on the shared server.
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/test/setup/summaryReporter.js"],
};
