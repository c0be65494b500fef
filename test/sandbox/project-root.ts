import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root, from this module, whether it runs as its source (test/sandbox) or bundled (dist/sandbox). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('the sandbox cannot find the project it belongs to');
    dir = up;
  }
  return dir;
}
