// The Debian packages the sandbox and the end-to-end tests run for real (scripts/debian-packages.txt).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const LIST = new URL('./debian-packages.txt', import.meta.url);

export const PACKAGES = readFileSync(LIST, 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

export function missingPackages() {
  return PACKAGES.filter((pkg) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return !/install ok installed/.test(status.stdout ?? '');
  });
}

export const isRoot = () => process.getuid?.() === 0;

/** Installs what is missing with apt-get when running as root; otherwise says what to install. */
export function ensurePackages() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (!isRoot()) throw new Error(`missing packages: ${missing.join(' ')}: install them (apt-get install ${missing.join(' ')})`);
  console.error(`installing ${missing.join(' ')} ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

// `node scripts/packages.mjs` (from `npm test`): as root, make sure the end-to-end tests find
// their tools; as anyone else, install nothing: the unit tests need none, and the end-to-end
// suites skip themselves with the reason.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (isRoot()) {
    try {
      ensurePackages();
    } catch (error) {
      console.error(`error: ${error.message}`);
      process.exit(2);
    }
  }
}
