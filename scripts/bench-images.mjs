// `npm run bench` (as root), many images: side by side in one run,
// - 300 images on 6 real sandbox nodes (three kinds of files, two nodes each): verify composed
//   (one node per fingerprint reads, app/compose.ts) against --exhaustive, and one node alone;
// - 300 images x 500 light nodes of 3 fingerprints, by DaemonSets (test/sandbox/api/light-node.ts:
//   the nodes play real recorded survey and read logs, reading one image every so many ms, the
//   pace one real sandbox node read at just before): composed against the time one node takes to
//   read the 300 images plus one pod's latency (goal <= 2x), --exhaustive beside it, and the
//   plugin's peak RSS (goal <= 150 MB).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clientEnv, createSandbox, destroySandbox } from '../dist/sandbox/sandbox.mjs';

if (process.getuid?.() !== 0) {
  console.log('images bench skipped: the sandbox needs root');
  process.exit(0);
}
const IMAGES = Number(process.env.BENCH_IMAGES ?? 300);
const N = Number(process.env.BENCH_NODES ?? 500);
const LATENCY_MS = 1000;
const CREATE_MS = 20;
const work = mkdtempSync(join(tmpdir(), 'oc-icsp-images-'));

function peakKiB(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function timed(env, args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('dist/oc-icsp', ['verify', ...args, '-o', 'json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const watch = setInterval(() => (peak = Math.max(peak, peakKiB(child.pid))), 100);
    child.on('close', (code) => {
      clearInterval(watch);
      if (code === 2 || !out) throw new Error(`verify ${args.slice(-6).join(' ')}: exit ${code}\n${err}`);
      resolve({ seconds: (performance.now() - started) / 1000, peakMB: (peak * 1024) / 1e6, doc: JSON.parse(out) });
    });
  });
}

/** Each node's verdict for each image, for comparing two runs of a VerifyImages document. */
function verdicts(doc) {
  return doc.images.flatMap(({ image, outcomes }) => outcomes.flatMap((o) => doc.nodeSets[o.nodes].map((n) => `${n} ${image} ${o.verdict} ${o.code} ${o.pulledFrom}`))).sort();
}

const f = (s) => `${s.toFixed(1)} s`;
// BENCH_MS_PER_IMAGE skips the real sandbox and reads at that pace; BENCH_LIGHT_ONLY_COMPOSED skips the light runs beside the composed one (for a quick look).
let msPerImage = Number(process.env.BENCH_MS_PER_IMAGE ?? 0);
let real;
try {
  if (msPerImage) throw Object.assign(new Error('skip'), { skip: true });
  real = await createSandbox(
    join(work, 'real'),
    [0, 1, 2, 3, 4, 5].map((i) => ({ name: `worker-${i}`, config: i < 4 ? 'cluster' : 'untrusted-tls', credentials: i >= 2, trustsTls: i >= 4 })),
    { catalog: { count: IMAGES } },
  );
  const env = clientEnv(real);
  const args = [...real.catalog, '--check', 'manifest', '--timeout', '600s'];
  const one = await timed(env, [...args, '--nodes', 'worker-0']);
  const composed = await timed(env, args);
  const exhaustive = await timed(env, [...args, '--exhaustive']);
  const same = JSON.stringify(verdicts(composed.doc)) === JSON.stringify(verdicts(exhaustive.doc));
  // A proposed change beside them (an IDMS for a source no image uses: the files differ, the reads
  // do not), then the same with --compare: every reader reads each image twice.
  const proposedFile = join(work, 'proposed.yaml');
  writeFileSync(proposedFile, `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: proposed}\nspec:\n  imageDigestMirrors:\n  - source: quay.io/unused/app\n    mirrors: [${real.registries.open.host}/unused/app]\n`);
  const proposed = await timed(env, [...args, '--proposed', proposedFile]);
  const compare = await timed(env, [...args, '--proposed', proposedFile, '--compare']);
  console.log(`many images, real sandbox: ${IMAGES} images x 6 nodes (3 fingerprints), --check manifest, oc debug (one run, side by side)`);
  console.log(`  one node alone                 ${f(one.seconds)}`);
  console.log(`  composed                       ${f(composed.seconds)} (${composed.doc.composed.readers.length} readers, ${composed.doc.composed.borrowed} verdicts borrowed)`);
  console.log(`  --exhaustive                   ${f(exhaustive.seconds)} = ${(exhaustive.seconds / composed.seconds).toFixed(2)}x composed; verdicts equal: ${same}`);
  console.log(`  --proposed FILE                ${f(proposed.seconds)} = ${(proposed.seconds / composed.seconds).toFixed(2)}x composed`);
  console.log(`  --proposed FILE --compare      ${f(compare.seconds)} = ${(compare.seconds / proposed.seconds).toFixed(2)}x --proposed alone (goal <= 2x)`);
  msPerImage = Math.round((one.seconds * 1000) / IMAGES);
} catch (error) {
  if (!error.skip) throw error;
} finally {
  if (real) destroySandbox(real);
}

const survey = 'test/fixtures/node-logs-survey/mirrored.survey.log';
const read = 'test/fixtures/node-logs-survey/mirrored.log';
const image = /^::oc-icsp:: image (\S+)$/m.exec(readFileSync(read, 'utf8'))[1];
let light;
try {
  light = await createSandbox(
    join(work, 'light'),
    Array.from({ length: N }, (_, i) => ({ name: `worker-${i}` })),
    { settings: { light: { log: read, survey: { log: survey, groups: 3 }, read: { log: read, image, msPerImage } }, podLatencyMs: LATENCY_MS, podCreateLatencyMs: CREATE_MS } },
  );
  const env = clientEnv(light);
  const images = Array.from({ length: IMAGES }, (_, i) => image.replace('/app@', `/cat-${i}@`));
  const args = [...images, '--check', 'manifest', '--strategy', 'daemonset', '--timeout', '600s'];
  const quick = process.env.BENCH_LIGHT_ONLY_COMPOSED;
  const one = quick ? { seconds: NaN } : await timed(env, [...args, '--nodes', 'worker-0']);
  const composed = await timed(env, args);
  const exhaustive = quick ? { seconds: NaN, peakMB: NaN, doc: composed.doc } : await timed(env, [...args, '--exhaustive']);
  const same = JSON.stringify(verdicts(composed.doc)) === JSON.stringify(verdicts(exhaustive.doc));
  console.log(`many images, light nodes: ${IMAGES} images x ${N} nodes of 3 fingerprints, DaemonSets, ${LATENCY_MS} ms a pod, ${CREATE_MS} ms a pod create, ${msPerImage} ms an image read (the real node's pace above)`);
  console.log(`  one node reads the ${IMAGES} images  ${f(one.seconds)} (one pod's latency and the reads)`);
  console.log(`  composed                       ${f(composed.seconds)} = ${(composed.seconds / one.seconds).toFixed(2)}x one node (goal <= 2x), peak RSS ${composed.peakMB.toFixed(0)} MB (goal <= 150 MB); ${composed.doc.composed.readers.length} readers, ${composed.doc.composed.borrowed} verdicts borrowed`);
  console.log(`  --exhaustive                   ${f(exhaustive.seconds)} = ${(exhaustive.seconds / one.seconds).toFixed(2)}x one node, peak RSS ${exhaustive.peakMB.toFixed(0)} MB; verdicts equal: ${same}`);
  console.log(`  -o json                        ${(JSON.stringify(composed.doc).length / 1e6).toFixed(2)} MB`);
  // scripts/bench-page.mjs draws this document and opens it in Chromium.
  mkdirSync('dist/bench', { recursive: true });
  writeFileSync(`dist/bench/images-${IMAGES}x${N}.json`, JSON.stringify(composed.doc));
} finally {
  if (light) destroySandbox(light);
  rmSync(work, { recursive: true, force: true });
}
