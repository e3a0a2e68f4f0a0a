// Two projects: `unit` needs nothing running; `integration` talks to the real Redis, Postgres
// and Neo4j that `pnpm services:up` starts, and runs in band (`--runInBand`) because its suites share those servers.
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.base.json" }] };

module.exports = {
  // The fleet suite spawns processes and opens BullMQ connections; a handle one of them leaks
  // must not keep a CI run waiting forever after every test has finished.
  forceExit: true,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "<rootDir>/test/support/node-environment.js",
      transform,
      testMatch: ["<rootDir>/packages/*/src/**/*.test.ts", "<rootDir>/apps/*/src/**/*.test.ts", "<rootDir>/test/infra/**/*.test.ts"],
    },
    {
      displayName: "integration",
      testEnvironment: "<rootDir>/test/support/node-environment.js",
      transform,
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/support/jest-setup.ts"],
    },
  ],
};
