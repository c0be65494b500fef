// `npm run sandbox`: install what the sandbox needs (as root, Debian/Ubuntu), build, start a
// 6-node local cluster stand-in with real registries, run `oc icsp verify` and print its table,
// then take it all down; the exit code is verify's.
// `npm run sandbox -- up`: start it in the background and print the shell lines that point
// kubectl, oc and the plugin at it; `npm run sandbox -- down`: stop it and remove what it made.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ensurePackages } from './packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.sandbox');
const [mode = 'run', ...rest] = process.argv.slice(2);
if (!['run', 'up', 'down'].includes(mode) && !mode.startsWith('-')) {
  console.error(`error: unknown sandbox mode ${JSON.stringify(mode)}: use up, down, or nothing (up, verify, down)`);
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  console.error("error: the sandbox needs root (it mounts each node's files in a private mount namespace): run it as root");
  process.exit(2);
}

// The sandbox is TypeScript (test/sandbox), run from its build: made first, whatever the mode.
const { buildSandbox } = await import('./build.mjs');
await buildSandbox(join(root, 'dist/sandbox'));
const { clientEnv, createSandbox, destroySandbox, settled } = await import('../dist/sandbox/sandbox.mjs');
// Earlier workload pulls through each node's CRI-O give `audit` something to read.
const NODES = [
  { name: 'worker-0', config: 'cluster', credentials: false, workloads: ['mirrored', 'fallback', 'tag'] },
  { name: 'worker-1', config: 'needs-credentials', workloads: ['replicas'] },
  { name: 'worker-2', config: 'not-on-mirror', workloads: ['failed'] },
  { name: 'worker-3', config: 'no-entry', rollout: true },
  { name: 'worker-4', config: 'quay-missing' },
  { name: 'infra-0', config: 'proxied', proxy: 'working', role: 'infra' },
];

/** The sandbox a previous `up` left, from its own record. */
function running() {
  const file = join(dir, 'sandbox.json');
  if (!existsSync(file)) return null;
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  return { dir, registries: saved.registries, services: saved.services ?? [], api: saved.api };
}

if (mode === 'down') {
  const s = running();
  if (!s) {
    console.error('no sandbox is up');
    process.exit(0);
  }
  destroySandbox(s);
  execFileSync('rm', ['-rf', dir]);
  console.error('the sandbox is down');
  process.exit(0);
}

const old = running();
if (old) destroySandbox(old);
ensurePackages();
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
console.error('starting the sandbox: an API server, 3 registries, a Quay-like front, a cluster proxy, 6 nodes ...');
const started = Date.now();
const sandbox = await createSandbox(dir, NODES);

if (mode === 'up') {
  // Keep what `down` needs to stop it.
  const record = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'));
  execFileSync(process.execPath, ['-e', `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'sandbox.json'))}, process.argv[1])`, JSON.stringify({ ...record, services: sandbox.services, api: sandbox.api })]);
  console.error(`the sandbox is up in ${((Date.now() - started) / 1000).toFixed(1)} s; paste these lines into your shell, and \`npm run sandbox -- down\` when done:`);
  console.log(`export KUBECONFIG=${sandbox.api.kubeconfig}`);
  // Another cluster on a port an earlier sandbox may have had: its own discovery cache.
  console.log(`export KUBECACHEDIR=${join(dir, 'kube-cache')}`);
  console.log(`export PATH=${join(dir, 'bin')}:$PATH`);
  console.log(`export SANDBOX_IMAGE=${sandbox.image}`);
  process.exit(0);
}

let status;
try {
  const args = ['verify', sandbox.image, ...(mode === 'run' ? rest : [mode, ...rest])];
  console.error(`$ oc icsp ${args.join(' ')}`);
  const run = spawnSync(join(root, 'dist/oc-icsp'), args, { stdio: 'inherit', env: clientEnv(sandbox) });
  status = run.status ?? 1;
  const left = await settled(dir);
  if (left.pods.length || left.namespaces.length || left.daemonsets.length) {
    console.error(`error: left behind: ${JSON.stringify(left)}`);
    status = status === 0 ? 1 : status;
  }
} finally {
  destroySandbox(sandbox);
}
process.exit(status);
