import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.sandbox*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
  {
    files: ['src/registries/**/*.ts', 'src/pull-log/**/*.ts', 'src/report/**/*.ts'],
    rules: {
      // The pure rooms do no I/O; they may name the app's model types, never call into it.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:fs', 'node:child_process', 'execa', '../oc/*', '../app/*', '../cli/*'], allowTypeImports: true }] },
      ],
    },
  },
);
