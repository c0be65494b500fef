import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
const texts = readFileSync('/tmp/texts.json','utf8');
await build({ entryPoints: ['src/cli/entry.ts'], outfile: '/tmp/proto/front.cjs', bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  minifyWhitespace: true, minifySyntax: true, keepNames: true, legalComments: 'none',
  define: { 'import.meta.url': '__bundleUrl', __OC_ICSP_VERSION__: '"0.1.0"', __HELP_TEXTS__: texts },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  external: ['./main.js', './complete-command.js'], supported: { 'dynamic-import': false }, logLevel: 'warning' });
