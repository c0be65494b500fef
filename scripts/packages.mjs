// The Debian packages the sandbox and the end-to-end tests run for real.
import { execFileSync, spawnSync } from 'node:child_process';

export const PACKAGES = { podman: 'podman', skopeo: 'skopeo', 'docker-registry': 'docker-registry', htpasswd: 'apache2-utils', openssl: 'openssl', unshare: 'util-linux' };

export function missingPackages() {
  return Object.entries(PACKAGES)
    .filter(([command]) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status !== 0)
    .map(([, pkg]) => pkg);
}

/** Installs what is missing with apt-get when running as root; otherwise says what to install. */
export function ensurePackages() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing packages: ${missing.join(' ')}: install them (apt-get install ${missing.join(' ')})`);
  console.error(`installing ${missing.join(' ')} ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

// `node scripts/packages.mjs`: make sure the end-to-end tests find their tools.
if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensurePackages();
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
}
