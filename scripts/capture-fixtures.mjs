// Re-captures the node logs the parser tests read: real `oc icsp verify --log-dir` runs against
// the sandbox, one node per situation. Run as root after `npm run build`. With `survey`, only
// the logs of a composed run (test/fixtures/node-logs-survey): each node's survey (its fingerprint
// and what its network answered each host) and its read of the two images.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { clientEnv, createSandbox, destroySandbox } from '../dist/sandbox/sandbox.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const survey = process.argv[2] === 'survey';
const out = join(root, survey ? 'test/fixtures/node-logs-survey' : 'test/fixtures/node-logs');
const dir = join(root, '.sandbox-capture');
const sandbox = await createSandbox(dir, [
  { name: 'mirrored', config: 'mirrored' },
  { name: 'needs-credentials', config: 'needs-credentials' },
  { name: 'missing-credentials', config: 'needs-credentials', credentials: false },
  { name: 'not-on-mirror', config: 'not-on-mirror' },
  { name: 'untrusted-tls', config: 'untrusted-tls' },
  { name: 'no-entry', config: 'no-entry' },
  { name: 'quay-missing', config: 'quay-missing' },
  { name: 'proxied', config: 'proxied', proxy: 'working' },
  { name: 'proxy-down', config: 'proxied', proxy: 'dead' },
]);
const run = (image, logDir, ...more) =>
  spawnSync(join(root, 'dist/oc-icsp'), ['verify', image, ...more, '--log-dir', logDir, '-o', 'json'], {
    env: clientEnv(sandbox),
    encoding: 'utf8',
  });
try {
  if (survey) {
    mkdirSync(out, { recursive: true });
    const r = run(sandbox.image, join(dir, 'survey'), sandbox.fallbackImage, '--check', 'manifest');
    if (r.status === 2 || r.stderr.includes('error:')) throw new Error(r.stderr);
    // Each node's survey, and its read of both images (each node here has files of its own, so reads for itself).
    for (const f of readdirSync(join(dir, 'survey'))) renameSync(join(dir, 'survey', f), join(out, f));
  }
  // legacy-*.log were written by an earlier node script (one image, no image marker): kept.
  if (!survey) {
  for (const f of readdirSync(out)) if (!f.startsWith('legacy-')) rmSync(join(out, f));
  mkdirSync(out, { recursive: true });
  run(sandbox.image, join(dir, 'digest'));
  for (const f of readdirSync(join(dir, 'digest'))) renameSync(join(dir, 'digest', f), join(out, `digest-${f}`));
  run(sandbox.tagImage, join(dir, 'tag'));
  for (const f of ['mirrored.log']) renameSync(join(dir, 'tag', f), join(out, `tag-${f}`));
  }
  // The machine's own resolver address is no business of the fixtures.
  const resolver = /^nameserver\s+(\S+)/m.exec(readFileSync('/etc/resolv.conf', 'utf8'))?.[1];
  for (const f of readdirSync(out).filter((name) => !name.startsWith('legacy-'))) {
    const path = join(out, f);
    if (resolver) writeFileSync(path, readFileSync(path, 'utf8').replaceAll(`${resolver}:53`, '172.30.0.10:53'));
  }
  console.log(`image: ${sandbox.image}`);
} finally {
  destroySandbox(sandbox);
  rmSync(dir, { recursive: true, force: true });
}
