// The vocabulary of a node's verdict: what the node runner reports, what the cluster expects,
// and what is decided. verdict.ts decides it; hints.ts says what to do next.
import type { Attempt } from './pull-log.js';

export const VERDICTS = ['mirrored', 'mirror-failed', 'not-mirrored', 'error', 'skipped'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface VerdictAttempt extends Attempt {
  mirror: boolean;
}

export interface NodeVerdict {
  verdict: Verdict;
  pulledFrom: string | null;
  attempts: VerdictAttempt[];
  /** What happened, in full. */
  detail: string;
  /** The same, short enough for a table cell. */
  summary: string;
  /** What to do next, for a verdict other than mirrored; chosen from the evidence. */
  hint: string | null;
}

/** How the node's run ended, as the node runner reports it. */
export interface RunEnd {
  status: 'exited' | 'timed-out' | 'interrupted' | 'could-not-start';
  /** The client's words that explain a failure, or why the pod could not start. */
  clientSaid: string | null;
  /** oc or kubectl, to quote it by name. */
  clientName: string;
  /** How the user started the plugin (`oc icsp`, `kubectl icsp`), for advice to run a command of it. */
  invokedAs?: string;
  timeoutMs: number;
}

/**
 * What the cluster's policies say should happen, to explain a node that tried no mirror: data
 * only; expectation-words.ts says it in words.
 */
export interface Expectation {
  /** The policies (Kind/name) whose mirrors serve this pull; empty when none does. */
  coveredBy: string[];
  /** Policies cover the image but serve no pull of this kind: which mismatch, and those policies. */
  mismatch?: { kind: MirrorMismatch; policies: string[] } | null;
  /** This node's MachineConfig update, when one is still pending (current → desired). */
  rolloutPending?: string | null;
  /** Whether the node's registries.conf resolves the image as the cluster's policies do (null: unknown). */
  configMatches?: boolean | null;
}

/** A tag pull where only digest mirrors cover the image, or a digest pull where only tag mirrors do. */
export type MirrorMismatch = 'tag-pull-digest-mirrors' | 'digest-pull-tag-mirrors';

export const NO_EXPECTATION: Expectation = { coveredBy: [] };

