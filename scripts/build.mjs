// One CommonJS bundle (dist/oc-icsp.cjs), run by a small loader (dist/oc-icsp) with a V8 code
// cache; the single-executable build (scripts/package.mjs) embeds the same bundle.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pageAssets, textLoaders } from './text-modules.mjs';

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

const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export async function buildBundle(outfile = 'dist/oc-icsp.cjs', define = {}, entry = 'src/cli/entry.ts') {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
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
    define: { 'import.meta.url': '__bundleUrl', __OC_ICSP_VERSION__: JSON.stringify(VERSION), ...define },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [lazyStringWidth, pageAssets],
    loader: textLoaders,
    // import() of node: built-ins becomes require(): the bundle also runs in a vm.Script
    // (src/cli/bundle-entry.ts), which has no dynamic-import hook.
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
}

/** yargs renders every help text once, here; the bundle prints them without loading yargs. */
export async function renderHelpTexts(work = 'dist') {
  mkdirSync(work, { recursive: true });
  const renderer = join(resolve(work), '.help-renderer.cjs');
  await build({
    entryPoints: ['src/cli/help-texts.ts'],
    loader: textLoaders,
    plugins: [pageAssets],
    outfile: renderer,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    define: { 'import.meta.url': '__bundleUrl', __OC_ICSP_VERSION__: JSON.stringify(VERSION) },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  const { createRequire } = await import('node:module');
  const texts = await createRequire(import.meta.url)(renderer).renderHelpTexts();
  rmSync(renderer);
  return texts;
}

/** The flags the first script's shebang and the launchers give node (see src/cli/bundle-entry.ts). */
// (--optimize-for-size, which verify and audit need, is set when they start: src/cli/heap.ts.)
export const NODE_FLAGS = ['--max-semi-space-size=4'];

/** The names the single binaries carry the program and its code cache by (src/cli/sea-entry.ts reads them). */
export const SEA_ASSETS = { program: 'oc-icsp.cjs', cache: 'oc-icsp.cjs.cache' };

/** The invocations a user makes most (help, explain, completion), run to record a code cache. */
const CACHE_RUNS = (conf, image) => [['--help'], ['verify', '--help'], ['explain', image, '--registries-conf', conf], ['explain', image, '--registries-conf', conf, '-o', 'json'], ['__complete', 'verify', '-o', '']];

/**
 * Records the bundle's V8 code cache (BUNDLE.cache) after running it on CACHE_RUNS, with the given
 * node (the single binaries' own, the arm64 one under qemu-user) and NODE_FLAGS, which V8 checks.
 */
export function recordCodeCache(bundle, node = [process.execPath]) {
  const conf = join(dirname(resolve(bundle)), '.cache-run.conf');
  writeFileSync(conf, '[[registry]]\nlocation = "registry.example.com/team"\n[[registry.mirror]]\nlocation = "mirror.example:5000/team"\n');
  const image = `registry.example.com/team/app@sha256:${'e'.repeat(64)}`;
  const [command, ...prefix] = node;
  try {
    execFileSync(command, [...prefix, ...NODE_FLAGS, 'scripts/code-cache.cjs', bundle, JSON.stringify(CACHE_RUNS(conf, image))], { stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    rmSync(conf, { force: true });
  }
}

/**
 * dist/oc-icsp: the first script (help texts inside; it runs the bundle for anything else);
 * dist/oc-icsp.cjs: the bundle, and its code cache;
 * dist/oc-icsp-sea.cjs: the single binaries' first script (src/cli/sea-entry.ts), help texts inside.
 */
export async function buildAll(dir = 'dist') {
  const bundle = join(dir, 'oc-icsp.cjs');
  const texts = JSON.stringify(await renderHelpTexts(dir));
  await buildBundle(bundle);
  await buildBundle(join(dir, 'oc-icsp-sea.cjs'), { __HELP_TEXTS__: texts, __SEA_ASSETS__: JSON.stringify(SEA_ASSETS) }, 'src/cli/sea-entry.ts');
  recordCodeCache(bundle);
  // The first script (src/cli/bundle-entry.ts); its shebang carries NODE_FLAGS, the same flags
  // the code cache was recorded with.
  const first = join(dir, 'oc-icsp');
  await buildBundle(first, { __HELP_TEXTS__: texts }, 'src/cli/bundle-entry.ts');
  writeFileSync(first, `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}\n${readFileSync(first, 'utf8')}`);
  chmodSync(first, 0o755);
  return bundle;
}

/**
 * The sandbox (test/sandbox, TypeScript), as ES modules for node: its API server, thin oc, small
 * services and the nodes' CRI-O tools, which it runs as processes; and the sandbox itself, which
 * `npm run sandbox`, the benches and the fixture capture import (the e2e suites import its source).
 */
export async function buildSandbox(dir = 'dist/sandbox') {
  const programs = [['test/sandbox/api/main.ts', 'api.mjs'], ['test/sandbox/oc/main.ts', 'oc.mjs'], ['test/sandbox/services.ts', 'services.mjs'], ['test/sandbox/crio.ts', 'crio.mjs'], ['test/sandbox/sandbox.ts', 'sandbox.mjs']];
  for (const [entry, out] of programs) {
    await build({ entryPoints: [entry], outfile: join(dir, out), bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'warning', loader: textLoaders, plugins: [pageAssets],
      // yaml's CommonJS parts ask for require(); an ES module has none of its own.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildAll();
  await buildSandbox();
}
