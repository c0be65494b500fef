import { defineConfig } from 'vitest/config';
import { pageAssetsVite, textModules } from './scripts/text-modules.mjs';

export default defineConfig({
  plugins: [textModules, pageAssetsVite],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // End-to-end files each start their own registries and nodes; keep the 2 cores for them.
    fileParallelism: true,
    maxWorkers: 2,
    // .ci/run reads the counts from here for its closing line.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
