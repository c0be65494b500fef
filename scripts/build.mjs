// One CommonJS bundle with a shebang: runs as `oc-icsp`/`kubectl-icsp`, and is what the
// single-executable build (scripts/package.mjs) embeds.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// string-width builds Intl.Segmenter and Unicode property regexes when it is loaded, and yargs
// loads it (through cliui and wrap-ansi) on every start. Its behaviour is kept; only its
// loading waits for the first width asked for, which only help and usage text need.
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.kind !== 'import-statement') return undefined;
      const real = await b.resolve('string-width', { resolveDir: args.resolveDir, kind: 'require-call' });
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents: `let real;\nexport default function stringWidth(input, options) {\n  real ??= require(${JSON.stringify(args.path)}).default;\n  return real(input, options);\n}\n`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

export async function buildBundle(outfile = 'dist/oc-icsp', define = {}) {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: ['src/cli/entry.ts'],
    outfile,
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
    define: { 'import.meta.url': '__bundleUrl', ...define },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [lazyStringWidth],
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
}

/** yargs renders every help text once, here; the bundle prints them without loading yargs. */
export async function renderHelpTexts(work = 'dist') {
  mkdirSync(work, { recursive: true });
  const renderer = join(resolve(work), '.help-renderer.cjs');
  await build({
    entryPoints: ['src/cli/help-texts.ts'],
    outfile: renderer,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  const { createRequire } = await import('node:module');
  const texts = await createRequire(import.meta.url)(renderer).renderHelpTexts();
  rmSync(renderer);
  return texts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildBundle('dist/oc-icsp', { __HELP_TEXTS__: JSON.stringify(await renderHelpTexts()) });
}
