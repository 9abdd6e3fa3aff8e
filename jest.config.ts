import type { Config } from 'jest';

// middy is ESM-only; esbuild transpiles it (and our TypeScript) to CommonJS so jest runs in its default mode.
const transform: Config['transform'] = { '^.+\\.[tj]s$': '<rootDir>/local/testkit/transform.cjs' };
const transformIgnorePatterns = ['/node_modules/(?!(@middy)/)'];
const project = (name: string, extra: Partial<Config> = {}): Config => ({
  displayName: name,
  testEnvironment: 'node',
  // The application's tests, and the local cloud's own (local/test/<project>: local/README.md).
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`, `<rootDir>/local/test/${name}/**/*.test.ts`],
  transform,
  transformIgnorePatterns,
  // middy publishes only an "import" export condition, which jest's CommonJS resolver does not try.
  moduleNameMapper: { '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  ...extra,
});

const config: Config = {
  // A slow, shared 2-core machine (CI) can take seconds where a laptop takes milliseconds; no test is about time.
  // (A global option: jest ignores testTimeout inside a project.)
  testTimeout: 120_000,
  projects: [
    project('unit'),
    project('deploy'),
    // DynamoDB Local once for the project; the teardown prints and gates the ASL coverage (see local/README.md).
    project('workflow', {
      globalSetup: '<rootDir>/local/testkit/global-setup.ts',
      globalTeardown: '<rootDir>/local/testkit/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/local/testkit/setup-file.ts'],
    }),
    // Generates a service of each variant (npm run new-service) and runs its lint, type check, unit and workflow tests.
    project('template'),
    project('e2e', {
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
    }),
  ],
};
export default config;
