import { defineConfig } from 'vitest/config';

// Three kinds of test: fast unit tests of pure rules (*.test.ts), integration tests against a real
// PostgreSQL (*.integration.test.ts), and journeys in a real Chromium with axe (test/e2e).
export default defineConfig({
  test: {
    env: { NODE_ENV: 'test' },
    reporters: process.env.VITEST_JSON ? ['default', ['json', { outputFile: process.env.VITEST_JSON }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['src/**/*.integration.test.ts', 'test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-database.ts'],
          setupFiles: ['test/support/pg-warnings.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          // Browsers last, after the database tests, so they do not compete for the two cores.
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/support/global-database.ts'],
          setupFiles: ['test/support/pg-warnings.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
