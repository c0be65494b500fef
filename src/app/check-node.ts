// One node's check, as the node runner drives it: its lines go through the readers (and to
// its log file); its end becomes a verdict per image, with each node fact's result for it.
import { clientProblemOf } from '../oc/client-talk.js';
import type { NodeEnd, NodeSink } from '../oc/node-runner.js';
import type { ImageBase, ImageContext } from '../node-check/fact.js';
import { ALL_FACTS, type FactWarning, type NodeFacts, type RawFacts } from '../node-check/facts/index.js';
import { evidenceOf, MARKER, type NodeReport, NodeOutputReader } from '../node-check/node-output.js';
import { asCrioEvidence } from '../pull-log/crio-pull.js';
import { type Engine, ENGINES } from '../pull-log/engines.js';
import { type Expectation, type NodeVerdict, pullOf, type RunEnd } from '../pull-log/evidence.js';
import { decideVerdict } from '../pull-log/verdict.js';
import type { ImageReference } from '../registries/reference.js';
import type { ImagePolicyObject } from '../registries/image-policies.js';
import type { RegistriesConf } from '../registries/registries-conf.js';
import type { Warning } from './warnings.js';

export interface NodeResult extends NodeVerdict {
  name: string;
  image: string;
  /** Each node fact's result for this image (node-check/facts/). */
  facts: NodeFacts;
  /** What the facts say of the node beside its verdict. */
  factWarnings: FactWarning[];
  durationMs: number;
  /** The image was in the node's storage before the check (so it was left there). */
  imageWasPresent: boolean | null;
  /** The check removed the image it pulled. */
  imageRemoved: boolean;
  /** --engine both: what each engine did, and why they may differ. */
  engines: Partial<Record<'podman' | 'crictl', EngineOutcome>> | null;
  disagreement: Disagreement | null;
  /** --compare: what the node's own files gave, beside the proposal's verdict; null otherwise. */
  now: { verdict: NodeVerdict['verdict']; code: NodeVerdict['reason']['code']; pulledFrom: string | null } | null;
}

export interface EngineOutcome {
  verdict: NodeVerdict['verdict'];
  pulledFrom: string | null;
}

/**
 * podman (the files now) and CRI-O (what it loaded) pulled differently: crio-not-reloaded when the
 * files changed after CRI-O last loaded them, engines-differ otherwise.
 */
export interface Disagreement {
  code: 'crio-not-reloaded' | 'engines-differ';
  podman: EngineOutcome;
  crio: EngineOutcome;
}

export interface LogSink {
  write(line: string): void;
  /** Resolves with the write error, if writing failed (a full disk, say). */
  close(): Promise<Error | null>;
}
/** A node's log; `part`: a run's step other than the reads (a composed run's survey). */
export type LogSinkFactory = (node: string, part?: string) => LogSink;

export interface NodeCheck extends NodeSink {
  finish(end: NodeEnd): Promise<NodeResult[]>;
  /** What the node's lines said so far (a survey's facts and fingerprint). */
  report(): NodeReport;
  /** Ends a check whose lines are kept as a report, not made verdicts (a survey's): its log closed. */
  close(): Promise<void>;
  /** How many images the node has begun to read. */
  imagesBegun(): number;
}

export interface ImageCheck {
  image: string;
  ref: ImageReference;
  expectation: Expectation;
  /** --compare: what today's policies (before the change) expect, for today's verdict. */
  todayExpectation?: Expectation;
}

export interface NodeCheckContext {
  images: ImageCheck[];
  engine: Engine;
  clientName: string;
  /** `oc icsp` or `kubectl icsp`, as the user typed it, for advice. */
  invokedAs: string;
  timeoutMs: number;
  /** What the cluster's policies render to, or null when unknown. */
  expected: RegistriesConf | null;
  /** The cluster's ClusterImagePolicies and ImagePolicies, or null when unknown. */
  expectedSignatures?: { policies: ImagePolicyObject[] } | null;
  rolloutPending: string | null;
  log: LogSink | undefined;
  /** A problem that is not the node's verdict, but must be said (the log file failed). */
  warn(warning: Warning): void;
  /** --compare: the node reads the images with its own files, then (after `pass proposed`) with the proposal's. */
  compare?: boolean;
  /** --compare: what today's policies render to, for today's verdict (expected is the proposal's). */
  todayExpected?: RegistriesConf | null;
}

const PASS_PROPOSED = `${MARKER} pass proposed`;
const PASS_END = `${MARKER} pass end`;
const IMAGE_MARK = `${MARKER} image `;

export function startNodeCheck(node: string, context: NodeCheckContext): NodeCheck {
  // --compare: the lines of the first pass (the node's own files) go to their own reader; the
  // proposal's reader gets the rest, facts and all.
  const reader = new NodeOutputReader();
  const nowReader = context.compare ? new NodeOutputReader() : null;
  let pass: 'before' | 'now' | 'proposed' | 'after' = 'before';
  const feed = (line: string) => {
    if (nowReader) {
      if (line === PASS_PROPOSED) pass = 'proposed';
      else if (line === PASS_END) pass = 'after';
      else if (pass === 'before' && line.startsWith(IMAGE_MARK)) pass = 'now';
      if (pass !== 'proposed') nowReader.feed(line);
      if (pass === 'now') return;
    }
    reader.feed(line);
  };
  const { log } = context;
  const closeLog = async () => {
    const logError = await log?.close();
    if (logError) context.warn({ code: 'log-file-incomplete', node, error: logError.message });
  };
  return {
    output(line) {
      feed(line);
      log?.write(line);
    },
    clientTalk(line) {
      log?.write(`[${context.clientName}] ${line}`);
    },
    report: () => reader.result(),
    close: closeLog,
    imagesBegun: () => reader.imagesBegun,
    async finish(end) {
      await closeLog();
      const report = reader.result();
      const runEnd: RunEnd = { status: end.status, clientSaid: end.clientSaid, clientProblem: clientProblemOf(end.clientSaid), timeoutMs: context.timeoutMs };
      const evidence = evidenceOf(report);
      const nowReport = nowReader?.result() ?? null;
      const nowEvidence = nowReport && evidenceOf(nowReport);
      const severalImages = context.images.length > 1;
      return context.images.map(({ image, ref, expectation, todayExpectation }) => {
        const base: ImageBase = { node, image, ref, expected: context.expected, expectedSignatures: context.expectedSignatures ?? null, severalImages };
        // What the policies expect, then what the node's facts add (its registries.conf resolving otherwise, say).
        const expect = { ...expectation, rolloutPending: context.rolloutPending, ...factExpectations(report.facts, base) };
        const podman = !ENGINES[context.engine].podman ? null : decideVerdict(image, evidence, runEnd, expect);
        const crio = !ENGINES[context.engine].crio ? null : decideVerdict(image, asCrioEvidence(evidence, report.crio), runEnd, expect);
        // CRI-O's verdict is what workloads get; podman's is kept beside it when both ran.
        const verdict = (crio ?? podman)!;
        const { facts, warnings } = factResults(report.facts, { ...base, verdict });
        const pull = pullOf(report, image);
        // Today's verdict, with what today's files (its own signature policy, say) expect.
        const then = nowReport && nowEvidence && decideVerdict(image, nowEvidence, runEnd, { ...(todayExpectation ?? expectation), rolloutPending: context.rolloutPending, ...factExpectations(nowReport.facts, { ...base, expected: context.todayExpected ?? base.expected }) });
        return {
          name: node,
          image,
          ...verdict,
          facts,
          factWarnings: warnings,
          durationMs: end.durationMs,
          imageWasPresent: pull?.presentBefore ?? null,
          imageRemoved: pull?.removed === 'yes',
          engines: podman && crio ? { podman: pick(podman), crictl: pick(crio) } : null,
          disagreement: podman && crio ? disagreement(podman, crio, facts.crioConfig?.stale ?? false) : null,
          now: then && { verdict: then.verdict, code: then.reason.code, pulledFrom: then.pulledFrom },
        };
      });
    },
  };
}

/**
 * A node that takes another's reads (same files, same network answers, app/compose.ts): the
 * reader's results for the images it takes, kept by reference (500 nodes of 300 images add up),
 * and what its own facts say beside them.
 */
export interface Borrowed {
  name: string;
  readBy: string;
  /** The reader's results, one for each image this node takes. */
  reads: NodeResult[];
  /** Its CRI-O loaded registries.conf before the file last changed. */
  crioStale: boolean;
}

/**
 * What a node says beside the verdicts it takes: each fact's warnings, the facts that follow from
 * the files being the reader's (its config, signatures, credentials, proxy), the others its own.
 */
export function borrowedFacts(node: string, raw: RawFacts, reads: NodeResult[], context: Pick<NodeCheckContext, 'expected' | 'expectedSignatures' | 'images'>): { warnings: FactWarning[]; crioStale: boolean } {
  const warnings: FactWarning[] = [];
  let crioStale = false;
  for (const read of reads) {
    const image = context.images.find((c) => c.image === read.image)!;
    const verdict: NodeVerdict = { verdict: read.verdict, pulledFrom: read.pulledFrom, attempts: read.attempts, reason: read.reason };
    const base: ImageBase = { node, image: image.image, ref: image.ref, expected: context.expected, expectedSignatures: context.expectedSignatures ?? null, severalImages: context.images.length > 1 };
    const results = factResults(raw, { ...base, verdict }, read.facts);
    warnings.push(...results.warnings);
    crioStale ||= results.facts.crioConfig?.stale ?? false;
  }
  return { warnings, crioStale };
}

function factExpectations(raw: RawFacts, image: ImageBase): Partial<Expectation> {
  return Object.assign({}, ...ALL_FACTS.map((f) => f.expectation?.(raw[f.key], image) ?? {}));
}

/** Each fact's result for one image (a reader's, where it follows from files it shares), and the warnings they give. */
function factResults(raw: RawFacts, image: ImageContext, shared?: NodeFacts): { facts: NodeFacts; warnings: FactWarning[] } {
  const facts = Object.fromEntries(ALL_FACTS.map((f) => [f.key, shared && f.fromFiles ? shared[f.key] : f.result(raw[f.key], image)])) as NodeFacts;
  const warnings = ALL_FACTS.flatMap((f) => f.warnings?.(facts[f.key], image) ?? []);
  return { facts, warnings };
}

const pick = (v: NodeVerdict): EngineOutcome => ({ verdict: v.verdict, pulledFrom: v.pulledFrom });

/** Whether podman (the files now) and CRI-O (what it loaded) pulled differently, and the likely why. */
function disagreement(podman: NodeVerdict, crio: NodeVerdict, crioStale: boolean): Disagreement | null {
  if (podman.verdict === crio.verdict && podman.pulledFrom === crio.pulledFrom) return null;
  return { code: crioStale ? 'crio-not-reloaded' : 'engines-differ', podman: pick(podman), crio: pick(crio) };
}

/** A node that was not checked: it is not Ready (why: the node's own words). Its facts are those of a node that said nothing. */
export function resultWithoutRun(name: string, image: string, ref: ImageReference, why: string): NodeResult {
  const verdict: NodeVerdict = { verdict: 'skipped', pulledFrom: null, attempts: [], reason: { code: 'node-not-ready', why } };
  const silent = new NodeOutputReader().result().facts;
  const { facts } = factResults(silent, { node: name, image, ref, expected: null, severalImages: false, verdict });
  return { name, image, ...verdict, facts, factWarnings: [], durationMs: 0, imageWasPresent: null, imageRemoved: false, engines: null, disagreement: null, now: null };
}
