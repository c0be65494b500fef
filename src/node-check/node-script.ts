// What runs on each node under `chroot /host`: node-script.sh, the writer of the marker protocol
// whose reader is pull-log/node-output.ts, and the argv that carries it. Images and repositories
// travel as positional arguments, never inside the script text, so nothing the user typed is ever
// parsed by a shell.
import type { CheckMode, Engine } from '../pull-log/engines.js';
import SCRIPT from './node-script.sh';
import { withoutComments } from './shell-text.js';

/** The script as it goes to the node: node-script.sh without its whole-line comments. */
export const NODE_SCRIPT = withoutComments(SCRIPT);

export interface NodeCommandRequest {
  images: string[];
  check: CheckMode;
  engine?: Engine;
  keepImage: boolean;
  /** Mirror repositories (and hosts) to ask the pull secret about. */
  repositories: string[];
}

/** argv after `oc debug node/N ... --`: chroot into the host and run the script there. */
export function nodeCommand({ images, check, engine = 'podman', keepImage, repositories }: NodeCommandRequest): string[] {
  return ['chroot', '/host', '/bin/sh', '-c', NODE_SCRIPT, 'oc-icsp', check, keepImage ? 'yes' : 'no', engine, ...images, '--', ...repositories];
}
