// `npm run bench` (as root), fan-out: many sandbox nodes in light mode (each pod replays a
// recorded real node log after a set latency; no registry traffic, no mount namespaces), side
// by side in one run: verify --strategy debug at --parallel 25 against a bare fan-out of exactly
// the client calls verify makes (its own --dry-run -o json: the namespace made once, each node's
// calls in turn, 25 nodes at a time, their output drained, the namespace removed), and verify
// --strategy daemonset; wall times and the plugin's peak RSS.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clientEnv, createSandbox, destroySandbox } from '../dist/sandbox/sandbox.mjs';

if (process.getuid?.() !== 0) {
  console.log('fan-out bench skipped: the sandbox needs root');
  process.exit(0);
}
const N = Number(process.env.BENCH_NODES ?? 500);
const P = 25;
const LATENCY_MS = 1000;
// The DaemonSet controller at its real pace (test/sandbox/api/controllers.ts: 2 DaemonSets synced
// at a time, slow-start batches), each pod create an API round trip of this long (an assumed
// figure: the real one depends on the cluster).
const CREATE_MS = Number(process.env.BENCH_CREATE_MS ?? 20);

const work = mkdtempSync(join(tmpdir(), 'oc-icsp-fanout-'));
const log = join(work, 'node.log');
// A real node log (sandbox capture), as the pod's output: the client's own lines dropped.
writeFileSync(log, readFileSync('test/fixtures/node-logs/digest-mirrored.log', 'utf8').split('\n').filter((l) => !l.startsWith('[oc] ')).join('\n'));
const nodes = Array.from({ length: N }, (_, i) => ({ name: `worker-${i}` }));
const sandbox = await createSandbox(join(work, 'sandbox'), nodes, { settings: { light: { log }, podLatencyMs: LATENCY_MS, podCreateLatencyMs: CREATE_MS } });
const env = clientEnv(sandbox);

function peakKiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Runs argv (stdin given) with its output drained; resolves with its stdout. */
function call([command, ...args], stdin) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.resume();
    child.stdin.end(stdin ?? '');
    child.on('close', () => resolve(out));
  });
}

/** The bare fan-out: verify's own planned calls, without verify. */
async function bareFanOut(plan) {
  const started = performance.now();
  const [create, ...rest] = plan.calls;
  const namespace = (await call(create.argv, create.stdin)).trim().replace(/^namespace\//, '');
  const real = (argv) => argv.map((a) => a.replaceAll('oc-icsp-<generated>', namespace));
  const byNode = new Map();
  for (const c of rest.filter((c) => c.node !== null)) byNode.set(c.node, [...(byNode.get(c.node) ?? []), c]);
  const queue = [...byNode.values()];
  const worker = async () => {
    for (let calls = queue.shift(); calls; calls = queue.shift()) for (const c of calls) await call(real(c.argv), c.stdin);
  };
  await Promise.all(Array.from({ length: P }, worker));
  for (const c of rest.filter((c) => c.node === null)) await call(real(c.argv), c.stdin);
  return { seconds: (performance.now() - started) / 1000 };
}

/**
 * kubectl itself, when the kubectl on PATH is a version dispatcher (the google-cloud-sdk
 * packaging: each call first asks the server its version, then runs the kubectl.1.N beside it):
 * a directory holding it as `kubectl`, or null.
 */
async function kubectlItself() {
  const found = (process.env.PATH ?? '').split(':').map((d) => join(d, 'kubectl')).find((f) => existsSync(f));
  if (!found) return null;
  const minor = Number.parseInt(JSON.parse(await call(['kubectl', 'version', '-o', 'json'])).serverVersion.minor, 10);
  const versioned = join(dirname(realpathSync(found)), `kubectl.1.${minor}`);
  if (!existsSync(versioned)) return null;
  const dir = join(work, 'kubectl-itself');
  mkdirSync(dir, { recursive: true });
  symlinkSync(versioned, join(dir, 'kubectl'));
  return dir;
}

function timed(command, args, extraPath = null) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { env: extraPath ? { ...env, PATH: `${extraPath}:${env.PATH}` } : env, stdio: ['ignore', 'pipe', 'ignore'] });
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
  const planned = await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'debug', '--parallel', String(P), '--dry-run', '-o', 'json']);
  const plan = JSON.parse(planned.out);
  const bare = await bareFanOut(plan);
  const debug = await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'debug', '--parallel', String(P), '--timeout', '120s', '-o', 'json']);
  // A change proposed beside it: every node probed with the registries.conf the change makes.
  const proposedFile = join(work, 'proposed.yaml');
  writeFileSync(
    proposedFile,
    `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: proposed}\nspec:\n  imageDigestMirrors:\n  - source: ${sandbox.image.split('@')[0]}\n    mirrors: [${sandbox.registries.open.host}/mirror/team/app]\n`,
  );
  const proposed = await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'debug', '--parallel', String(P), '--timeout', '120s', '--proposed', proposedFile, '-o', 'json']);
  // --compare: each light node plays its recorded reads twice, the second after `pass proposed`.
  const compare = await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'debug', '--parallel', String(P), '--timeout', '120s', '--proposed', proposedFile, '--compare', '-o', 'json']);
  const daemonset = await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'daemonset', '--timeout', '120s', '-o', 'json']);
  const itself = await kubectlItself();
  const direct = itself && (await timed('dist/oc-icsp', ['verify', sandbox.image, '--strategy', 'daemonset', '--timeout', '120s', '-o', 'json'], itself));
  for (const [name, r] of [['debug', debug], ['debug, proposed', proposed], ['debug, compare', compare], ['daemonset', daemonset], ...(direct ? [['daemonset, kubectl itself', direct]] : [])]) {
    const doc = JSON.parse(r.out);
    if (doc.summary.mirrored !== N) {
      const failed = JSON.stringify(doc, null, 1).split('\n').filter((l) => /error|detail/i.test(l)).slice(0, 20);
      throw new Error(`${name}: ${JSON.stringify(doc.summary)}\n${failed.join('\n')}`);
    }
  }
  console.log(`fan-out, light mode: ${N} nodes, ${LATENCY_MS} ms a pod, ${P} at once for debug (one run, side by side); the DaemonSet controller at its real pace, ${CREATE_MS} ms a pod create`);
  console.log(`  bare fan-out of verify's ${plan.calls.length} planned calls, ${P} nodes at a time   ${bare.seconds.toFixed(1)} s`);
  console.log(`  verify --strategy debug        ${debug.seconds.toFixed(1)} s = ${(debug.seconds / bare.seconds).toFixed(3)}x the bare fan-out (goal <= 1.03x), peak RSS ${(debug.peakMiB * 1.048576).toFixed(0)} MB (goal <= 100 MB)`);
  console.log(`  verify --strategy debug --proposed FILE ${proposed.seconds.toFixed(1)} s = ${(proposed.seconds / debug.seconds).toFixed(3)}x the plain run beside it (goal <= 1.05x), peak RSS ${(proposed.peakMiB * 1.048576).toFixed(0)} MB`);
  console.log(`  verify --strategy debug --proposed FILE --compare ${compare.seconds.toFixed(1)} s = ${(compare.seconds / debug.seconds).toFixed(3)}x the plain run (goal <= 2x), peak RSS ${(compare.peakMiB * 1.048576).toFixed(0)} MB`);
  const dsRow = (r) => `${r.seconds.toFixed(2)} s = ${(r.seconds / (LATENCY_MS / 1000)).toFixed(2)}x one pod's latency (goal <= 3x), peak RSS ${(r.peakMiB * 1.048576).toFixed(0)} MB (goal <= 100 MB)`;
  console.log(`  verify --strategy daemonset    ${dsRow(daemonset)}`);
  if (direct) console.log(`    the same, kubectl itself     ${dsRow(direct)} (PATH's kubectl is a version dispatcher: a server round trip and a second exec a call)`);
} finally {
  destroySandbox(sandbox);
  rmSync(work, { recursive: true, force: true });
}
