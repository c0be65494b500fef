// `npm run package`: the release files in dist/release/:
//   oc-icsp_<version>_linux_amd64.tar.gz  a single executable kubectl-icsp (no Node needed), on the
//   oc-icsp_<version>_linux_arm64.tar.gz  Node.js LTS of scripts/sea-node.json, not the Node that packages
//   oc-icsp_<version>_node.tar.gz         the bundle, its loader and POSIX launchers (Node 20.19+ on PATH)
//   <archive>.sha256                      for each archive
//   icsp.yaml                             the krew manifest, from plugin.yaml
// Archives are reproducible: sorted, owned by root, dated SOURCE_DATE_EPOCH (default 0).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { buildAll, NODE_FLAGS, recordCodeCache, SEA_ASSETS } from './build.mjs';
import { cannotRun, runnable, seaNode } from './sea-node.mjs';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const HELPERS = ['kubectl_complete-icsp', 'oc_complete-icsp'];

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const version = pkg.version;
const baseUrl = process.env.RELEASE_BASE_URL ?? `${pkg.homepage}/releases/download/v${version}`;

// A POSIX launcher: krew links it from ~/.krew/bin, so it finds its real directory first.
// Its own name tells the program how it was started (kubectl-icsp, oc_complete-icsp ...).
const launcher = (target) => `#!/bin/sh
self=$0
while [ -L "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
dir=$(cd "$(dirname "$self")" && pwd)
${
  target === 'node'
    ? `command -v node >/dev/null 2>&1 || { echo "error: $(basename "$0") needs Node.js 20.19 or later on PATH: install it, or use the linux/amd64 or linux/arm64 single binary" >&2; exit 2; }
OC_ICSP_ARGV0=$0 exec node ${NODE_FLAGS.join(' ')} "$dir/oc-icsp" "$@"`
    : `OC_ICSP_ARGV0=$0 exec "$dir/kubectl-icsp" "$@"`
}
`;

function writeExecutable(path, text) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function archive(release, stageDir, name) {
  const out = join(release, name);
  const epoch = process.env.SOURCE_DATE_EPOCH ?? '0';
  const tar = execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${epoch}`, '-C', stageDir, '-cf', '-', '.'], {
    maxBuffer: 1 << 30,
  });
  writeFileSync(out, execFileSync('gzip', ['-n', '-9'], { input: tar, maxBuffer: 1 << 30 }));
  const hex = sha256(out);
  writeFileSync(`${out}.sha256`, `${hex}  ${name}\n`);
  return { name, sha256: hex };
}

/** Krew's and Go's name for a Node.js architecture. */
const GOARCH = { x64: 'amd64', arm64: 'arm64' };
export const SEA_ARCHES = Object.keys(GOARCH);

async function singleExecutable(bundle, stageDir, arch) {
  const node = seaNode(arch);
  const parts = join(stageDir, '..', `sea-${arch}`);
  mkdirSync(parts, { recursive: true });
  const main = join(parts, 'sea-main.cjs');
  copyFileSync(join(dirname(bundle), 'oc-icsp-sea.cjs'), main);
  const program = join(parts, SEA_ASSETS.program);
  copyFileSync(bundle, program);
  const config = join(parts, 'sea-config.json');
  const blob = join(parts, 'sea-prep.blob');
  // The blob and both code caches are made by the very Node they are injected into: the blob's
  // format follows the Node version, a code cache V8 and the architecture (the arm64 ones are
  // made under qemu-user), and V8 checks it against the flags: execArgv (Node 24's SEA config)
  // runs the binary with NODE_FLAGS, and both caches are recorded under them. The first script
  // answers help; the program, with its own cache, is an asset it runs (src/cli/sea-entry.ts).
  const runner = runnable(arch, node);
  recordCodeCache(program, runner);
  const assets = { [SEA_ASSETS.program]: program, [SEA_ASSETS.cache]: `${program}.cache` };
  writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, execArgv: NODE_FLAGS, assets }));
  const [command, ...prefix] = runner;
  // Its one line ("Wrote single executable preparation blob to ...") is talk: only a failure is shown.
  const prep = spawnSync(command, [...prefix, ...NODE_FLAGS, '--experimental-sea-config', config], { encoding: 'utf8' });
  if (prep.status !== 0) throw new Error(`node --experimental-sea-config (${arch}) failed: ${prep.stderr}${prep.stdout}`);
  const binary = join(stageDir, 'kubectl-icsp');
  copyFileSync(node, binary);
  chmodSync(binary, 0o755);
  // postject's ELF library warns once per note section it cannot name (Node's binary has them;
  // the injection is unaffected): in a child, so that they can be counted and said once.
  const cli = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const run = spawnSync(process.execPath, [cli, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { encoding: 'utf8' });
  // eslint-disable-next-line no-control-regex
  const talk = `${run.stdout}${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter(Boolean);
  if (run.status !== 0) throw new Error(`postject failed: ${talk.join('\n')}`);
  const harmless = talk.filter((l) => /^warning: Can't find string offset for section name/.test(l));
  const other = talk.filter((l) => !harmless.includes(l) && !/^(Start injection|💉 Injection done)/u.test(l));
  if (harmless.length) console.error(`note: postject read ${harmless.length} ELF note section(s) without a name (harmless)`);
  for (const line of other) console.error(line);
}

/** Writes the release into `release`, working in `work` (both emptied first). */
export async function packageRelease({ release = 'dist/release', work = 'dist/stage', arches = SEA_ARCHES } = {}) {
  if (process.platform !== 'linux') throw new Error(`the single binaries are built on Linux; this is ${process.platform}`);
  for (const arch of arches) {
    const why = cannotRun(arch);
    if (why) throw new Error(`cannot build the linux/${GOARCH[arch]} single binary: ${why}`);
  }
  rmSync(release, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(release, { recursive: true });
  const bundle = await buildAll(join(work, 'dist'));

  const nodeStage = join(work, 'node');
  mkdirSync(nodeStage, { recursive: true });
  for (const file of ['oc-icsp', 'oc-icsp.cjs', 'oc-icsp.cjs.cache']) copyFileSync(join(work, 'dist', file), join(nodeStage, file));
  for (const name of ['kubectl-icsp', ...HELPERS]) writeExecutable(join(nodeStage, name), launcher('node'));
  copyFileSync('LICENSE', join(nodeStage, 'LICENSE'));
  const nodeArchive = archive(release, nodeStage, `oc-icsp_${version}_node.tar.gz`);

  const archives = [];
  for (const arch of arches) {
    const seaStage = join(work, `linux_${GOARCH[arch]}`);
    mkdirSync(seaStage, { recursive: true });
    await singleExecutable(bundle, seaStage, arch);
    for (const name of HELPERS) writeExecutable(join(seaStage, name), launcher('sea'));
    copyFileSync('LICENSE', join(seaStage, 'LICENSE'));
    const name = `oc-icsp_${version}_linux_${GOARCH[arch]}.tar.gz`;
    archives.push({ ...archive(release, seaStage, name), selector: { matchLabels: { os: 'linux', arch: GOARCH[arch] } } });
  }
  // The Node archive serves every platform the single binaries do not (krew forbids overlaps).
  const seaGoArches = arches.map((a) => GOARCH[a]);
  archives.push({ ...nodeArchive, selector: { matchLabels: { os: 'darwin' } } });
  archives.push({ ...nodeArchive, selector: { matchExpressions: [{ key: 'os', operator: 'In', values: ['linux'] }, { key: 'arch', operator: 'NotIn', values: seaGoArches }] } });

  const manifest = parse(readFileSync('plugin.yaml', 'utf8'));
  manifest.spec.version = `v${version}`;
  manifest.spec.caveats = manifest.spec.caveats.replaceAll('{{version}}', `v${version}`);
  manifest.spec.platforms = archives.map((a) => ({
    selector: a.selector,
    uri: `${baseUrl}/${a.name}`,
    sha256: a.sha256,
    files: [...['kubectl-icsp', ...HELPERS, 'LICENSE'], ...(a.name.endsWith('_node.tar.gz') ? ['oc-icsp', 'oc-icsp.cjs', 'oc-icsp.cjs.cache'] : [])].map((from) => ({ from, to: '.' })),
    bin: 'kubectl-icsp',
  }));
  writeFileSync(join(release, 'icsp.yaml'), stringify(manifest, { lineWidth: 0 }));
  rmSync(work, { recursive: true, force: true });
  return { release, archives };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { release, archives } = await packageRelease();
  // The Node archive serves two platform selectors: one line per file.
  for (const name of new Set(archives.map((a) => a.name))) console.error(`${archives.find((a) => a.name === name).sha256}  ${join(release, name)}`);
}
