// `npm run bench` (as root): verify across many sandbox nodes, serial against --parallel 10,
// side by side in one run: wall time and the plugin's peak memory (VmHWM), which must stay flat.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clientEnv, createSandbox, destroySandbox } from '../dist/sandbox/sandbox.mjs';

if (process.getuid?.() !== 0) {
  console.log('scale bench skipped: the sandbox needs root');
  process.exit(0);
}
const sizes = [20, 100];

function peakKiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function verify(sandbox, image, parallel) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // A debug pod per node throughout: above 25 nodes auto would take DaemonSets, where --parallel
    // plays no part (bench-fanout.mjs measures those).
    const child = spawn('dist/oc-icsp', ['verify', image, '--strategy', 'debug', '--parallel', String(parallel), '-o', 'json'], {
      env: clientEnv(sandbox),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, peakKiB(child.pid))), 20);
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0 && code !== 1) return reject(new Error(`verify exited ${code}`));
      resolve({ ms: performance.now() - started, peakKiB: peak, summary: JSON.parse(out).summary });
    });
  });
}

for (const size of sizes) {
  const dir = join(tmpdir(), `oc-icsp-bench-scale-${size}`);
  const nodes = Array.from({ length: size }, (_, i) => ({ name: `worker-${i}`, config: i % 4 === 0 ? 'no-entry' : 'mirrored' }));
  const sandbox = await createSandbox(dir, nodes);
  try {
    const serial = await verify(sandbox, sandbox.image, 1);
    const parallel = await verify(sandbox, sandbox.image, 10);
    console.log(
      `${size} nodes, a debug pod each: --parallel 1 ${(serial.ms / 1000).toFixed(1)} s, --parallel 10 ${(parallel.ms / 1000).toFixed(1)} s ` +
        `(${(serial.ms / parallel.ms).toFixed(2)}x); peak RSS ${(serial.peakKiB / 1024).toFixed(0)} / ${(parallel.peakKiB / 1024).toFixed(0)} MiB; ` +
        `verdicts ${JSON.stringify(parallel.summary)}`,
    );
  } finally {
    destroySandbox(sandbox);
    rmSync(dir, { recursive: true, force: true });
  }
}
