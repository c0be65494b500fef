// `npm run mutation`: StrykerJS mutates the orchestration rooms and runs the unit suites against
// each mutant (reports/mutation/). A figure for the notes, not a CI gate: a run takes minutes.
// Stryker 9: it runs on Node 20 (10 needs 22).
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.unit.config.ts' },
  mutate: ['src/oc/**/*.ts', 'src/app/**/*.ts', 'src/pull-log/**/*.ts', 'src/node-check/**/*.ts'],
  // A static mutant (a module-level constant) needs every test re-run: slow, and rarely telling.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  concurrency: 2,
  reporters: ['clear-text', 'json', 'html', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  clearTextReporter: { allowColor: false, reportMutants: false, reportTests: false },
  ignorePatterns: ['dist', '.sandbox*', 'reports', 'coverage', '.vitest-results.json'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 10000,
};
