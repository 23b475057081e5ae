import { defineConfig } from 'vitest/config';

// Two projects: unit tests run in parallel; integration tests drive one real Docker engine on a
// 2-core machine, so their files run one at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'targets/**/*.test.ts', 'k6-scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['harness/**/*.int.test.ts', 'targets/**/*.int.test.ts', 'k6-scripts/**/*.int.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
