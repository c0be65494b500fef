// The in-process suites only: no build, no sandbox. `npm run test:unit` and `npm run mutation`
// (Stryker mutates src/ and needs tests that import it, not the built binary).
import { defineConfig } from 'vitest/config';
import { pageAssetsVite, textModules } from './scripts/text-modules.mjs';

export const UNIT_SUITES = [
  'test/registries', 'test/pull-log', 'test/node-check', 'test/report', 'test/app', 'test/oc', 'test/durations.test.ts', 'test/clock.test.ts',
  // The in-process cli suites (the others run the built binary).
  'test/cli/offline.test.ts',
  'test/cli/signatures.test.ts', 'test/cli/verify-args.test.ts', 'test/cli/completion.test.ts', 'test/cli/terminal.test.ts',
];

export default defineConfig({
  plugins: [textModules, pageAssetsVite],
  test: {
    include: UNIT_SUITES.map((s) => (s.endsWith('.ts') ? s : `${s}/**/*.test.ts`)),
    maxWorkers: 2,
  },
});
