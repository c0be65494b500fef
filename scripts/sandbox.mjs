// `npm run sandbox`: install what the sandbox needs (as root, Debian/Ubuntu), build, start a
// 6-node local cluster stand-in with real registries, run `oc icsp verify` and print its table.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ensurePackages } from './packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.getuid?.() !== 0) {
  console.error('error: the sandbox needs root (it mounts each node\'s files in a private mount namespace): run it as root');
  process.exit(2);
}
ensurePackages();
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });

const { createSandbox, destroySandbox, leftovers } = await import('../test/sandbox/sandbox.mjs');
const dir = join(root, '.sandbox');
console.error('starting the sandbox: 3 registries, a Quay-like front, a cluster proxy, 6 nodes ...');
const sandbox = await createSandbox(dir, [
  { name: 'worker-0', config: 'cluster' },
  { name: 'worker-1', config: 'needs-credentials' },
  { name: 'worker-2', config: 'not-on-mirror' },
  { name: 'worker-3', config: 'no-entry', rollout: true },
  { name: 'worker-4', config: 'quay-missing' },
  { name: 'infra-0', config: 'proxied', proxy: 'working', role: 'infra' },
]);
let status;
try {
  const args = ['verify', sandbox.image, ...process.argv.slice(2)];
  console.error(`$ oc icsp ${args.join(' ')}`);
  const run = spawnSync(join(root, 'dist/oc-icsp'), args, {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
  });
  // Findings (exit 1) are the point of the demo; anything else is a real failure.
  status = run.status === 0 || run.status === 1 ? 0 : (run.status ?? 1);
  const left = leftovers(dir);
  if (left.pods.length || left.namespaces.length || left.daemonsets.length) {
    console.error(`error: left behind: ${JSON.stringify(left)}`);
    status = 1;
  }
} finally {
  destroySandbox(sandbox);
}
process.exit(status);
