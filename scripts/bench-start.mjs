// `npm run bench`, start-up: one hyperfine run, side by side, of bare `node -e 0`, the bundle's
// --help and explain (a small registries.conf), the single binary's --help and explain, and the
// completion helper. Ratios are against `node -e 0` in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRelease } from './package.mjs';

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
  const { archives } = await packageRelease({ release, work: join(work, 'stage') });
  const sea = archives.find((a) => a.name.endsWith('_linux_amd64.tar.gz'));
  const seaDir = join(work, 'sea');
  if (sea) execFileSync('sh', ['-c', 'mkdir -p "$1" && tar -xzf "$2" -C "$1"', 'sh', seaDir, join(release, sea.name)]);
  const conf = join(work, 'small.conf');
  writeFileSync(conf, '[[registry]]\nlocation = "registry.example.com/team"\n[[registry.mirror]]\nlocation = "mirror.example:5000/team"\npull-from-mirror = "digest-only"\n');
  const image = `registry.example.com/team/app@sha256:${'e'.repeat(64)}`;
  const bundle = 'dist/oc-icsp';
  const commands = [
    ['node -e 0', `${process.execPath} -e 0`],
    // Run as users run it: through its shebang (node and its flags).
    ['bundle --help', `${bundle} --help`],
    ['bundle explain', `${bundle} explain ${image} --registries-conf ${conf}`],
    ['bundle completion', `${bundle} __complete verify -o ''`],
    ...(sea
      ? [
          ['single binary --help', `${join(seaDir, 'kubectl-icsp')} --help`],
          ['single binary explain', `${join(seaDir, 'kubectl-icsp')} explain ${image} --registries-conf ${conf}`],
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
  const base = results[0].mean;
  const goals = { 'bundle --help': 1.5, 'bundle explain': 1.5, 'single binary --help': 1.2 };
  console.log('start-up, one hyperfine run (mean of 40, after 5 warm-ups):');
  for (const r of results) {
    const ratio = r.mean / base;
    const goal = goals[r.command];
    console.log(
      `  ${r.command.padEnd(30)} ${(r.mean * 1000).toFixed(1).padStart(6)} ms ± ${(r.stddev * 1000).toFixed(1)}  ${ratio.toFixed(2)}x node -e 0${goal ? `  (goal <= ${goal}x: ${ratio <= goal ? 'met' : 'NOT met'})` : ''}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
