// `npm run bench`, start-up: one hyperfine run, side by side, of bare `node -e 0` (this machine's
// Node, which runs the bundle), the bundle's --help, explain (a small registries.conf and a
// 5,000-entry one) and completion; then bare `node -e 0` of the Node the single binary embeds, and
// the single binary's --help and explain. Ratios are against the `node -e 0` of the same runtime.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRelease } from './package.mjs';
import { seaNode } from './sea-node.mjs';
import { bigRegistriesConf } from './bench-data.mjs';

// dist/oc-icsp is the loader with the code cache (npm run build); the bare bundle is timed too.

if (spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status !== 0) {
  if (process.getuid?.() !== 0) {
    console.log('start-up bench skipped: hyperfine is not installed (apt-get install hyperfine)');
    process.exit(0);
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'hyperfine'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const work = mkdtempSync(join(tmpdir(), 'oc-icsp-bench-start-'));
try {
  const release = join(work, 'release');
  const { archives } = await packageRelease({ release, work: join(work, 'stage'), arches: ['x64'] });
  const sea = archives.find((a) => a.name.endsWith('_linux_amd64.tar.gz'));
  const seaDir = join(work, 'sea');
  if (sea) execFileSync('sh', ['-c', 'mkdir -p "$1" && tar -xzf "$2" -C "$1"', 'sh', seaDir, join(release, sea.name)]);
  const conf = join(work, 'small.conf');
  writeFileSync(conf, '[[registry]]\nlocation = "registry.example.com/team"\n[[registry.mirror]]\nlocation = "mirror.example:5000/team"\npull-from-mirror = "digest-only"\n');
  const image = `registry.example.com/team/app@sha256:${'e'.repeat(64)}`;
  const big = join(work, 'big.conf');
  writeFileSync(big, bigRegistriesConf());
  const bigImage = `registry-3.example.com/team-4949/apps/web@sha256:${'c'.repeat(64)}`;
  const bundle = 'dist/oc-icsp';
  const commands = [
    ['node -e 0', `${process.execPath} -e 0`],
    // Run as users run it: through its shebang (node and its flags).
    ['bundle --help', `${bundle} --help`],
    ['bundle explain', `${bundle} explain ${image} --registries-conf ${conf}`],
    ['bundle explain, 5,000 entries', `${bundle} explain ${bigImage} --registries-conf ${big}`],
    ['bundle completion', `${bundle} __complete verify -o ''`],
    ...(sea
      ? [
          ['embedded node -e 0', `${seaNode('x64')} -e 0`],
          ['single binary --help', `${join(seaDir, 'kubectl-icsp')} --help`],
          ['single binary explain', `${join(seaDir, 'kubectl-icsp')} explain ${image} --registries-conf ${conf}`],
          ['single binary explain, 5,000', `${join(seaDir, 'kubectl-icsp')} explain ${bigImage} --registries-conf ${big}`],
        ]
      : []),
  ];
  const json = join(work, 'hyperfine.json');
  execFileSync(
    'hyperfine',
    ['-N', '--warmup', '5', '--runs', '40', '--export-json', json, ...commands.flatMap(([name, cmd]) => ['-n', name, cmd])],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const results = JSON.parse(readFileSync(json, 'utf8')).results;
  const machine = results[0].mean;
  const embedded = results.find((r) => r.command === 'embedded node -e 0')?.mean;
  const goals = { 'bundle --help': 1.3, 'bundle explain': 1.5, 'bundle explain, 5,000 entries': 1.5, 'single binary --help': 1.15 };
  console.log('start-up, one hyperfine run (mean of 40, after 5 warm-ups):');
  for (const r of results) {
    // The single binary against the Node it embeds, and against this machine's too.
    const single = r.command.startsWith('single binary');
    const ratio = r.mean / (single ? embedded : machine);
    const goal = goals[r.command];
    const also = single ? ` (${(r.mean / machine).toFixed(2)}x this machine's node -e 0)` : '';
    console.log(
      `  ${r.command.padEnd(30)} ${(r.mean * 1000).toFixed(1).padStart(6)} ms ± ${(r.stddev * 1000).toFixed(1)}  ${ratio.toFixed(2)}x ${single ? 'its own ' : ''}node -e 0${also}${goal ? `  (goal <= ${goal}x: ${ratio <= goal ? 'met' : 'NOT met'})` : ''}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
