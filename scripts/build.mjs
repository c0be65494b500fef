// One CommonJS bundle with a shebang: runs as `oc-icsp`/`kubectl-icsp` and can be fed to a
// Node single-executable build later.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'dist/oc-icsp',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Smaller text compiles faster at every start; names are kept for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  legalComments: 'none',
  // yargs (ESM) reads import.meta.url; in a CommonJS bundle that is this file.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
chmodSync('dist/oc-icsp', 0o755);
