// What verify says beside the verdicts, as codes with fields: report/warning-words.ts makes the
// words (`warning: ...` on stderr, `warnings[]` in the document) from one catalogue keyed by code.
import type { RunnerNotice } from '../oc/node-runner.js';
import type { FactWarning } from '../node-check/facts/index.js';
import type { CrioConfig } from '../node-check/facts/crio-config.js';
import type { Disagreement } from './check-node.js';

export type Warning =
  // Before any pod: the images, the policies, the pools, earlier runs.
  | { code: 'image-picked'; image: string; seenIn: string; source: string }
  | { code: 'image-normalized'; typed: string; pulled: string }
  | { code: 'tag-pull-digest-mirrors'; image: string; policies: string[] }
  | { code: 'digest-pull-tag-mirrors'; image: string; policies: string[] }
  | { code: 'image-not-covered'; image: string }
  | { code: 'leftover-namespaces'; namespaces: string[] }
  | { code: 'pool-degraded'; pool: string; message: string | null }
  | { code: 'pool-updating'; pool: string; updated: number; machines: number }
  | { code: 'pool-paused'; pool: string }
  // How the run goes.
  | { code: 'manifest-only-at-scale'; nodes: number }
  | { code: 'crio-pulls-at-scale'; nodes: number; engine: string }
  | RunnerNotice
  | { code: 'log-file-failed'; node: string; error: string }
  | { code: 'log-file-incomplete'; node: string; error: string }
  | { code: 'namespace-left'; namespace: string }
  // What a node showed beside its verdict.
  | NodeWarning;

/** Something a node showed that is not its verdict, but must be said: its facts' warnings, and its engines disagreeing. */
export type NodeWarning = FactWarning | { code: 'engines-disagree'; node: string; disagreement: Disagreement; crioConfig: CrioConfig | null };

export type WarningCode = Warning['code'];

/**
 * A node's warnings that differ only in the image they name, as one that counts the images: a
 * run of 300 images says a node's registries.conf differs once, not 300 times.
 */
export function foldImages(warnings: NodeWarning[]): NodeWarning[] {
  const folded = new Map<string, NodeWarning>();
  for (const w of warnings) {
    if (!('image' in w) || w.image === null || (w.code !== 'config-differs' && w.code !== 'signature-policy-differs')) {
      folded.set(JSON.stringify(w), w);
      continue;
    }
    const key = JSON.stringify({ ...w, image: null });
    const seen = folded.get(key) as typeof w | undefined;
    folded.set(key, seen ? { ...seen, image: null, images: (seen.images ?? 1) + 1 } : w);
  }
  return [...folded.values()];
}
