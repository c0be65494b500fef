// What runs on each node under `chroot /host`: the node script, put together from its parts, the
// writer of the marker protocol whose reader is node-output.ts, and the argv that carries it.
// Images and repositories travel as positional arguments, never inside the script text, so
// nothing the user typed is ever parsed by a shell.
import type { CheckMode, Engine } from '../pull-log/engines.js';
import { ALL_FACTS } from './facts/index.js';
import HEAD from './head.sh';
import PULLS from './pulls.sh';
import { withoutComments } from './shell-text.js';

/**
 * The whole script, comments and all (what shellcheck reads): the head, the facts that run before
 * the pulls, the pulls, the facts that run after them, and the end marker.
 */
export const NODE_SCRIPT_SOURCE = [
  HEAD,
  ...ALL_FACTS.filter((f) => f.stage === 'prelude').map((f) => f.script),
  PULLS,
  ...ALL_FACTS.filter((f) => f.stage === 'epilogue').map((f) => f.script),
  'mark end\n',
].join('');

/** The script as it goes to the node: without its whole-line comments. */
export const NODE_SCRIPT = withoutComments(NODE_SCRIPT_SOURCE);

export interface NodeCommandRequest {
  images: string[];
  check: CheckMode;
  engine?: Engine;
  keepImage: boolean;
  /** Mirror repositories (and hosts) to ask the pull secret about. */
  repositories: string[];
  /** Hosts whose reach the node reports, with its fingerprint (a composed run); none: neither is asked. */
  hosts?: string[];
  /** The registries.conf a proposed change makes, probed in place of the node's own. */
  registriesConf?: string;
  /** Read each image with the node's own files first, then with the proposal's (--compare). */
  compare?: boolean;
  /** The policy.json and sigstore registries.d file a proposed change makes, where it changes them. */
  signaturePolicy?: { policyJson: string; registriesD: string };
}

/** The first line of a proposed registries.conf that asks the node for both passes (a TOML comment). */
export const COMPARE_LINE = '# oc-icsp: compare with the node\'s own registries.conf first';

/** argv after `oc debug node/N ... --`: chroot into the host and run the script there. */
export function nodeCommand({ images, check, engine = 'podman', keepImage, repositories, hosts, registriesConf = '', compare = false, signaturePolicy }: NodeCommandRequest): string[] {
  const conf = compare && registriesConf ? `${COMPARE_LINE}\n${registriesConf}` : registriesConf;
  const reach = hosts ? ['--', ...hosts] : [];
  return ['chroot', '/host', '/bin/sh', '-c', NODE_SCRIPT, 'oc-icsp', check, keepImage ? 'yes' : 'no', engine, conf, signaturePolicy?.policyJson ?? '', signaturePolicy?.registriesD ?? '', ...images, '--', ...repositories, ...reach];
}
