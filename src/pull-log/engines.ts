// The engines a node check can pull with, in one table: what each runs on the node, which
// readers its output goes to, and whether it can read a manifest instead of pulling. The node
// script (node-script.ts) takes the engine's name; check-node.ts and verify read the table.

/** pull: the engine pulls the image; manifest: skopeo reads only its manifest, writing nothing. */
export type CheckMode = 'pull' | 'manifest';

export interface EngineTraits {
  /** podman pulls, as the node's files say now; its debug log is read. */
  podman: boolean;
  /** CRI-O pulls (crictl), with what it loaded; its journal is read back. */
  crio: boolean;
  /**
   * Whether --check manifest means anything: skopeo reads a manifest through the same
   * containers/image code podman uses, but CRI-O has no manifest-only read (its CRI ImageService
   * has PullImage, not a manifest call: cri-o server/image_pull.go).
   */
  manifestRead: boolean;
}

export const ENGINES = {
  podman: { podman: true, crio: false, manifestRead: true },
  crictl: { podman: false, crio: true, manifestRead: false },
  both: { podman: true, crio: true, manifestRead: false },
} as const satisfies Record<string, EngineTraits>;

export type Engine = keyof typeof ENGINES;
export const ENGINE_NAMES = Object.keys(ENGINES) as Engine[];

export type CheckChoice = CheckMode | 'auto';

/** Above this many nodes, `auto` means DaemonSets, manifest reads and grouped rows (docs/scale.md says how it was chosen). */
export const SCALE_THRESHOLD = 25;

/** Why this engine and check cannot go together (bad input), or null. */
export function refusedCombination(engine: Engine, check: CheckChoice): string | null {
  if (check !== 'manifest' || ENGINES[engine].manifestRead) return null;
  return `--engine ${engine} pulls through CRI-O, which has no manifest-only read: use --check pull, or --engine podman with --check manifest`;
}

/** What each node does: `auto` reads manifests above the threshold, where the engine can. */
export function checkModeFor(engine: Engine, choice: CheckChoice, nodes: number): CheckMode {
  if (choice !== 'auto') return choice;
  return nodes > SCALE_THRESHOLD && ENGINES[engine].manifestRead ? 'manifest' : 'pull';
}
