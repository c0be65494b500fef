// Whether the sandbox can run here, and if not, why: it mounts node files in private mount
// namespaces (root) and runs real podman, skopeo and docker-registry (Debian packages).
// @ts-expect-error plain JavaScript module shared with npm test and .ci/run
import { isRoot, missingPackages } from '../scripts/packages.mjs';

export function sandboxSkipReason(): string | null {
  if (!isRoot()) return 'they need root (the sandbox mounts node files in private mount namespaces); run npm test as root to include them';
  const missing = (missingPackages as () => string[])();
  if (missing.length) return `missing Debian packages: ${missing.join(' ')} (npm test installs them when run as root)`;
  return null;
}
