// The Node.js that the single binaries embed (scripts/sea-node.json), fetched at packaging time
// from the npm registry's node-linux-<arch> packages and kept in node_modules/.cache: it is no
// dependency of the plugin, and `npm ci` never downloads it.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PIN = JSON.parse(readFileSync(new URL('./sea-node.json', import.meta.url), 'utf8'));
export const SEA_NODE_VERSION = PIN.version;
const CACHE = join('node_modules', '.cache', 'oc-icsp-sea-node');

/** Debian's qemu-user and the aarch64 C and C++ runtimes run the arm64 Node on an amd64 host. */
const QEMU = { binary: 'qemu-aarch64', sysroot: '/usr/aarch64-linux-gnu', packages: 'qemu-user libc6-arm64-cross libstdc++6-arm64-cross' };

function sri(path) {
  return `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;
}

/** The path of bin/node of node-linux-<arch>@<pinned version>, fetched once and checked against the pin. */
export function seaNode(arch) {
  const dir = join(CACHE, `${arch}-${PIN.version}`);
  const node = join(dir, 'node');
  if (existsSync(node)) return node;
  const expected = PIN.integrity[arch];
  if (!expected) throw new Error(`scripts/sea-node.json pins no node-linux-${arch}: add its integrity`);
  const fetch = `${dir}.fetch`;
  rmSync(fetch, { recursive: true, force: true });
  mkdirSync(fetch, { recursive: true });
  const spec = `node-linux-${arch}@${PIN.version}`;
  const packed = spawnSync('npm', ['pack', spec, '--pack-destination', fetch, '--json', '--silent'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (packed.status !== 0) throw new Error(`npm pack ${spec} failed: ${packed.stderr.trim()}: check the network and npm's registry setting`);
  const tarball = join(fetch, JSON.parse(packed.stdout)[0].filename);
  const actual = sri(tarball);
  if (actual !== expected) throw new Error(`${spec}: integrity ${actual} is not the pinned ${expected}: refusing to embed it`);
  execFileSync('tar', ['-xzf', tarball, '-C', fetch, 'package/bin/node']);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  renameSync(join(fetch, 'package', 'bin', 'node'), node);
  rmSync(fetch, { recursive: true, force: true });
  return node;
}

const HOST_ARCH = process.arch;

/** The absolute path of a command on PATH, or '' (so that it runs from an environment without PATH). */
function onPath(command) {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : '';
}

/** argv that runs `node` of `arch` here: directly on its own architecture, arm64 under qemu-user on amd64. */
export function runnable(arch, node) {
  if (arch === HOST_ARCH) return [node];
  if (arch === 'arm64' && HOST_ARCH === 'x64') return [onPath(QEMU.binary), '-L', QEMU.sysroot, node];
  throw new Error(`cannot run a ${arch} Node.js on ${HOST_ARCH}`);
}

/** Why `arch`'s Node cannot run here, or null. */
export function cannotRun(arch) {
  if (arch === HOST_ARCH) return null;
  if (arch !== 'arm64' || HOST_ARCH !== 'x64') return `a ${arch} Node.js does not run on ${HOST_ARCH}`;
  if (!onPath(QEMU.binary) || !existsSync(join(QEMU.sysroot, 'lib', 'libstdc++.so.6'))) {
    return `the arm64 Node.js runs here under qemu-user: install ${QEMU.packages}`;
  }
  return null;
}
