import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.sandbox*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      'no-console': 'error',
      // Signal and exit handlers belong to the process's edge: the cli, and the runner that owns children.
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='process'][callee.property.name=/^(on|once|prependListener)$/]", message: 'only src/cli/ and src/oc/runner.ts listen to process events' },
      ],
      // Rooms import one way (cli → app → oc, registries, pull-log, report); a cycle is a room reaching back.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'execa', message: 'only src/oc/runner.ts starts processes' }, { name: 'cli-table3', message: 'only src/report/ draws tables' }] },
      ],
    },
  },
  {
    files: ['src/oc/**/*.ts'],
    rules: {
      // oc reaches the cluster for the app; it never reaches back into the app's decisions.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'execa', message: 'only src/oc/runner.ts starts processes' }, { name: 'cli-table3', message: 'only src/report/ draws tables' }],
          patterns: [{ group: ['../app/*', '../cli/*'], message: 'src/oc/ must not import app/ or cli/' }],
        },
      ],
    },
  },
  {
    files: ['src/oc/runner.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/report/table.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-console': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
  {
    files: ['src/registries/**/*.ts', 'src/pull-log/**/*.ts', 'src/report/**/*.ts', 'src/page/**/*.ts'],
    rules: {
      // The pure rooms do no I/O; they may name the app's model types, never call into it.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:fs', 'node:child_process', 'execa', '../oc/*', '../app/*', '../cli/*'], allowTypeImports: true }] },
      ],
    },
  },
);
