// `npm run bench` (as root), fan-out: many sandbox nodes in light mode (each pod replays a
// recorded real node log after a set latency; no registry traffic, no mount namespaces), side
// by side in one run: verify --strategy debug at --parallel 25 against `xargs -P 25` of the
// same `oc debug` calls, and verify --strategy daemonset; wall times and the plugin's peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clientEnv, createSandbox, destroySandbox } from '../test/sandbox/sandbox.mjs';

if (process.getuid?.() !== 0) {
  console.log('fan-out bench skipped: the sandbox needs root');
  process.exit(0);
}
const N = Number(process.env.BENCH_NODES ?? 500);
const P = 25;
const LATENCY_MS = 1000;

const work = mkdtempSync(join(tmpdir(), 'oc-icsp-fanout-'));
const log = join(work, 'node.log');
// A real node log (sandbox capture), as the pod's output: the client's own lines dropped.
writeFileSync(log, readFileSync('test/fixtures/node-logs/digest-mirrored.log', 'utf8').split('\n').filter((l) => !l.startsWith('[oc] ')).join('\n'));
const nodes = Array.from({ length: N }, (_, i) => ({ name: `worker-${i}` }));
const sandbox = await createSandbox(join(work, 'sandbox'), nodes, { settings: { light: { log }, podLatencyMs: LATENCY_MS } });
const env = clientEnv(sandbox);

function peakKiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function timed(command, args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let peak = 0;
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const watch = setInterval(() => (peak = Math.max(peak, peakKiB(child.pid))), 100);
    child.on('close', (code) => {
      clearInterval(watch);
      resolve({ seconds: (performance.now() - started) / 1000, peakMiB: peak / 1024, code, out });
    });
  });
}

try {
  const oc = join(sandbox.dir, 'bin', 'oc');
  const namespace = spawnSync(oc, ['create', '-f', '-', '-o', 'name'], { input: JSON.stringify({ kind: 'Namespace', metadata: { generateName: 'xargs-' } }), encoding: 'utf8' }).stdout.trim().replace('namespace/', '');
  const names = join(work, 'names');
  writeFileSync(names, nodes.map((n) => `${n.name}\n`).join(''));
  const xargs = await timed('sh', ['-c', `xargs -P ${P} -I{} "${oc}" debug node/{} --to-namespace=${namespace} -- true < "${names}" > /dev/null 2>&1`]);
  spawnSync(oc, ['delete', 'namespace', namespace]);
  const debug = await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'debug', '--parallel', String(P), '--timeout', '120s', '-o', 'json']);
  const daemonset = await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'daemonset', '--timeout', '120s', '-o', 'json']);
  for (const [name, r] of [['debug', debug], ['daemonset', daemonset]]) {
    const doc = JSON.parse(r.out);
    if (doc.summary.mirrored !== N) {
      const failed = JSON.stringify(doc, null, 1).split('\n').filter((l) => /error|detail/i.test(l)).slice(0, 20);
      throw new Error(`${name}: ${JSON.stringify(doc.summary)}\n${failed.join('\n')}`);
    }
  }
  console.log(`fan-out, light mode: ${N} nodes, ${LATENCY_MS} ms a pod, ${P} at once for debug (one run, side by side)`);
  console.log(`  xargs -P ${P} oc debug          ${xargs.seconds.toFixed(1)} s`);
  console.log(`  verify --strategy debug        ${debug.seconds.toFixed(1)} s = ${(debug.seconds / xargs.seconds).toFixed(3)}x xargs (goal <= 1.03x), peak RSS ${debug.peakMiB.toFixed(0)} MiB`);
  console.log(`  verify --strategy daemonset    ${daemonset.seconds.toFixed(1)} s = ${(daemonset.seconds / (LATENCY_MS / 1000)).toFixed(1)}x one pod's latency (goal <= 3x), peak RSS ${daemonset.peakMiB.toFixed(0)} MiB`);
} finally {
  destroySandbox(sandbox);
  rmSync(work, { recursive: true, force: true });
}
