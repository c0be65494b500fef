// The vocabulary of a node's verdict: what the node runner reports, what the cluster expects,
// and what is decided. verdict.ts decides it; hints.ts says what to do next.
import type { FailureReason } from './classify.js';
import type { CrioPull } from './crio-journal.js';
import type { Attempt, PullLog } from './pull-log.js';

/** One image's pull (or manifest read) on a node, as its output reported it. */
export interface ImagePull {
  /** null in logs written before the script named its images (one image per run). */
  image: string | null;
  presentBefore: boolean | null;
  exitCode: number | null;
  removed: 'yes' | 'failed' | null;
  log: PullLog;
}

/** One image pulled through CRI-O (crictl): its exit, its error, and what the journal says it did. */
export interface CrioImagePull {
  image: string;
  exitCode: number | null;
  /** crictl's error text (CRI-O's, with Mirrors also failed). */
  error: string | null;
  journal: CrioPull | null;
}

/**
 * What a verdict is decided from: the node's pulls, the last lines that were not part of a
 * section (to explain a failure), and the node facts a failing mirror's reason carries: the
 * cluster proxy's variables and the pull secret's answers.
 */
export interface PullEvidence {
  pulls: ImagePull[];
  strayTail: string[];
  proxy: Record<string, string> | null;
  credentials: Record<string, boolean>;
}

/** The report of one image's pull: the one named so, or the only one of an older log. */
export function pullOf(report: { pulls: ImagePull[] }, image: string): ImagePull | null {
  return report.pulls.find((p) => p.image === image) ?? report.pulls.find((p) => p.image === null) ?? null;
}

export const VERDICTS = ['mirrored', 'mirror-failed', 'not-mirrored', 'error', 'skipped'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface VerdictAttempt extends Attempt {
  mirror: boolean;
}

export interface NodeVerdict {
  verdict: Verdict;
  pulledFrom: string | null;
  attempts: VerdictAttempt[];
  /** Why, as data: report/reasons.ts makes its words (detail, summary, hint) from the code and its fields. */
  reason: Reason;
}

/** What became of the source where no mirror served: it served, it failed (why), or it was not tried. */
export type SourceOutcome = 'served' | 'not-tried' | FailureReason | 'error';

/** The first mirror failed: its failure, and what the node knows that says what to do about it. */
export interface MirrorFailure {
  code: MirrorFailureCode;
  /** The failing mirror's host (with port). */
  mirror: string;
  /** How many mirrors were tried. */
  mirrors: number;
  source: SourceOutcome;
  /** The node pull secret holds credentials for the mirror's repository (null: not asked). */
  credentials: boolean | null;
  /** The cluster proxy the node reaches the mirror through (null: direct). */
  proxy: string | null;
  /**
   * mirror-unauthorized: pods get this image's mirror credentials from their project
   * (CRIOCredentialProviderConfig matchImages), which a node-level pull cannot use.
   */
  projectCredentials?: boolean;
}

/**
 * The first mirror's failure, finer than the attempt's FailureReason where the words differ:
 * a plain-HTTP mirror (tls), blobs missing after the manifest (other).
 */
export const MIRROR_FAILURE_CODES = [
  'mirror-manifest-unknown',
  'mirror-unauthorized',
  'mirror-tls',
  'mirror-plain-http',
  'mirror-dns',
  'mirror-connection-refused',
  'mirror-timeout',
  'mirror-blocked',
  'mirror-blob-missing',
  'mirror-other',
] as const;
export type MirrorFailureCode = (typeof MIRROR_FAILURE_CODES)[number];

/** Why no mirror was tried. */
export type NoMirrorCode = MirrorMismatch | 'rollout-pending' | 'config-lags' | 'node-config' | 'no-policy';

/** What a client's own words said went wrong with a node's pod, classified where they are read (oc/client-talk.ts). */
export type ClientProblem = 'debug-image-unreachable' | 'quota' | 'forbidden';

/**
 * Why a node has its verdict: a code with fields, one of each verdict's. The words are made in
 * report/reasons.ts, whose catalogue is keyed by code (TypeScript rejects a code without words).
 */
export type Reason =
  | { code: 'served-by-mirror'; failedFirst: (FailureReason | null)[]; signature?: SignatureSeen | null }
  | MirrorFailure
  | SignatureFailure
  | NoMirror
  | RunFailure
  | { code: 'node-not-ready'; why: string };

/**
 * What a mirror that served showed of the signature the node's policy requires: a pull verified
 * it; a manifest check found its attachment there (present, not verified).
 */
export type SignatureSeen = 'verified' | 'attachment-present';

/** The node's policy.json requirement for the image's source (containers/image matches the source, never the mirror). */
export interface SignatureRequirement {
  /** The transports.docker scope; "" its default, null the global default. */
  scope: string | null;
  /** sigstoreSigned or signedBy. */
  type: string;
  /** sigstoreSigned's trust root: PublicKey, FulcioCAWithRekor or PKI. */
  root: string | null;
  identity: string | null;
}

/**
 * The image's signature stopped the pull at the endpoint that served its manifest. containers/image
 * checks the policy after choosing the first endpoint whose manifest loads, and does not try the
 * next mirror or the source (docker/docker_image_src.go newImageSource, copy/single.go).
 */
export interface SignatureFailure {
  code: 'signature-missing' | 'signature-rejected';
  /** The repository the signature was read from: the one that served the manifest. */
  endpoint: string;
  /** That repository is a mirror (otherwise the source). */
  mirror: boolean;
  /** Its host, for grouping as a mirror's failure is grouped. */
  host: string;
  /** The attachment's tag (`sha256-<hex>.sig`), when the log names it. */
  attachment: string | null;
  requirement: SignatureRequirement | null;
  /** A pull verified and refused it; a manifest check found no attachment. */
  seenBy: 'pull' | 'attachment';
  /** signature-rejected: containers/image's words for why. */
  why: string | null;
  /** Mirrors (and the source) after it that a pull would not try. */
  untried: number;
}

/** What the node's signature policy says of this image, and what a manifest check's look for its attachment found. */
export interface SignatureExpectation {
  requirement: SignatureRequirement | null;
  /** --check manifest: the attachment looked for at the endpoint that served (null: not looked for). */
  lookup: { endpoint: string; tag: string; found: boolean | null } | null;
}

/** No mirror was tried: why, what the source did (first attempt; lastFailure: the last one's reason), and the policies. */
export interface NoMirror {
  code: NoMirrorCode;
  source: SourceOutcome;
  lastFailure: FailureReason | null;
  coveredBy: string[];
  mismatchPolicies: string[];
  rolloutPending: string | null;
}

/** The check did not finish: how it ended, the client's words and what they meant, who had served by then. */
export interface RunFailure {
  code: 'pod-could-not-start' | 'timed-out' | 'interrupted' | 'no-result' | 'pull-refused';
  said: string | null;
  problem: ClientProblem | null;
  servedBefore: ServedBy;
  /** timed-out: after how long. */
  afterMs?: number;
  /** pull-refused: podman's error. */
  error?: string;
}
export type ReasonCode = Reason['code'];

/** Who had served the image when a check broke off (null: nobody yet). */
export type ServedBy = 'mirror' | 'source' | null;

/** How the node's run ended, as the node runner reports it. */
export interface RunEnd {
  status: 'exited' | 'timed-out' | 'interrupted' | 'could-not-start';
  /** The client's words that explain a failure, or why the pod could not start. */
  clientSaid: string | null;
  /** What those words say went wrong, classified where they were read. */
  clientProblem?: ClientProblem | null;
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
  /** The node's signature policy for the image (null: it has none, or it could not be read). */
  signature?: SignatureExpectation | null;
  /** CRIOCredentialProviderConfig gives pods of a project credentials for this image's mirrors. */
  projectCredentials?: boolean;
  /** The sources the node's own registries.conf gives the image, in order (null: unknown). */
  nodeSources?: string[] | null;
}

/** A tag pull where only digest mirrors cover the image, or a digest pull where only tag mirrors do. */
export type MirrorMismatch = 'tag-pull-digest-mirrors' | 'digest-pull-tag-mirrors';

export const NO_EXPECTATION: Expectation = { coveredBy: [] };

