// `npm run bench`: explain over a generated registries.conf with 5,000 [[registry]] entries.
// Prints, side by side from one run: parsing alone, parsing + resolving, and the whole command.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { bigRegistriesConf, ENTRIES } from './bench-data.mjs';

const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-bench-'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(fn, runs) {
  fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

try {
  const confPath = join(dir, 'registries.conf');
  writeFileSync(confPath, bigRegistriesConf());
  const text = readFileSync(confPath, 'utf8');
  const engine = join(dir, 'engine.cjs');
  await build({
    stdin: {
      contents: "export { loadRegistriesConf } from './src/registries/registries-conf.ts'; export { resolvePullSources } from './src/registries/resolve.ts'; export { parseReference } from './src/registries/reference.ts';",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: engine,
    logLevel: 'warning',
  });
  const { loadRegistriesConf, resolvePullSources, parseReference } = createRequire(import.meta.url)(engine);
  const image = `registry-3.example.com/team-4949/apps/web@sha256:${'c'.repeat(64)}`;
  const ref = parseReference(image);
  const file = { path: confPath, text };

  // Interleaved rounds, so both sides see the same machine load.
  const parseOnly = [];
  const parseAndResolve = [];
  for (let round = 0; round < 7; round++) {
    parseOnly.push(time(() => loadRegistriesConf(file, []), 3));
    parseAndResolve.push(time(() => resolvePullSources(loadRegistriesConf(file, []), ref), 3));
  }
  const conf = loadRegistriesConf(file, []);
  const resolveOnly = time(() => resolvePullSources(conf, ref), 200);

  const command = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    const run = spawnSync('dist/oc-icsp', ['explain', image, '--registries-conf', confPath, '-o', 'json'], { encoding: 'utf8' });
    command.push(performance.now() - start);
    if (run.status !== 0) throw new Error(run.stderr);
  }
  const startup = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    startup.push(performance.now() - start);
  }

  const p = median(parseOnly);
  const pr = median(parseAndResolve);
  const fmt = (ms) => `${ms.toFixed(2)} ms`;
  console.log(`registries.conf: ${ENTRIES} entries, ${(text.length / 1024).toFixed(0)} KiB, image ${image.slice(0, 50)}…`);
  console.log(`parse only (load + validate):     ${fmt(p)}`);
  console.log(`parse + resolve:                  ${fmt(pr)}`);
  console.log(`resolve alone (parsed conf):      ${fmt(resolveOnly)}`);
  console.log(`resolution on top of the parse:   ${(((pr - p) / p) * 100).toFixed(1)}% by the two medians (noise-bound); resolve alone is ${((resolveOnly / p) * 100).toFixed(2)}% of the parse (goal < 10%)`);
  console.log(`whole command (dist/oc-icsp explain --registries-conf -o json): ${fmt(median(command))} (goal < 150 ms)`);
  console.log(`  of which bare node start-up:    ${fmt(median(startup))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
