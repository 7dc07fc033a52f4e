// Two projects: fast unit specs (*.spec.ts) and integration specs (*.int-spec.ts) that run
// against a real Kafka broker and a real Postgres, started once by the global setup.
// ts-jest transpiles each file on its own (no type check here: `npm run build` type-checks the tree).
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }];
const moduleNameMapper = {
  '^@driftline/(contracts|db|kafka|stats|windowing|testing|config|common|client)$': '<rootDir>/libs/$1/src',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{services,libs,cli,infra,bench}/**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/fast-check-seed.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{services,libs,cli,test}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
      // jest-circus reads testTimeout only from the global config, so the project sets it in a setup file.
      setupFilesAfterEnv: [
        '<rootDir>/libs/testing/src/jest-integration-timeout.ts',
        '<rootDir>/libs/testing/src/fast-check-seed.ts',
      ],
    },
  ],
};
