// A verify's runs on nodes: one phase is one run of the node runner (a namespace made and
// removed), each node's lines through its check; a composed verify runs three (app/compose.ts).
import type { Clock } from '../clock.js';
import type { NodeEnd, NodeRunner, NodeRunOutcome } from '../oc/node-runner.js';
import { type Borrowed, borrowedFacts, type ImageCheck, type NodeCheck, type NodeCheckContext, type NodeResult, startNodeCheck } from './check-node.js';
import { mayBorrow, readersOf } from './compose.js';
import type { Fingerprint } from '../node-check/facts/fingerprint.js';
import type { FactWarning, RawFacts } from '../node-check/facts/index.js';

/** Where a run is, for a person watching: the step, nodes and images done, the slowest node. */
export interface Progress {
  /** check: every node reads its images; survey, read, own-read: a composed run's steps (app/compose.ts). */
  step: 'check' | 'survey' | 'read' | 'own-read';
  nodesDone: number;
  nodes: number;
  /** Images the step's nodes have begun to read, of all they will read (none in a survey). */
  imagesBegun: number;
  images: number;
  /** The node that has run longest of those still running, and since when (the clock's time). */
  slowest: { node: string; since: number } | null;
}

export interface PhaseRequest {
  nodes: string[];
  command: string[];
  parallel: number;
  timeoutMs: number;
  signal: AbortSignal;
  onStatus?(text: string): void;
  context(node: string, images: ImageCheck[], part?: string): NodeCheckContext;
  /** The step's name in a node's log file's, for a step other than the reads. */
  part?: string;
  images: ImageCheck[];
  /** What becomes of a node's check once its pod has ended. */
  keep(node: string, check: NodeCheck, end: NodeEnd): Promise<void>;
  step: Progress['step'];
  onProgress?(progress: Progress): void;
  clock: Clock;
}

export async function runPhase(runner: NodeRunner, request: PhaseRequest): Promise<NodeRunOutcome> {
  const running = new Map<string, NodeCheck>();
  // Insertion order is start order: the first still running is the slowest.
  const started = new Map<string, number>();
  let done = 0;
  let begunByDone = 0;
  const perNode = request.step === 'survey' ? 0 : request.images.length;
  const report = () => {
    if (!request.onProgress) return;
    let begun = begunByDone;
    for (const check of running.values()) begun += check.imagesBegun();
    const [slowest] = started;
    request.onProgress({
      step: request.step,
      nodesDone: done,
      nodes: request.nodes.length,
      imagesBegun: begun,
      images: perNode * request.nodes.length,
      slowest: slowest ? { node: slowest[0], since: slowest[1] } : null,
    });
  };
  report();
  return runner.run({
    nodes: request.nodes,
    command: request.command,
    parallel: request.parallel,
    timeoutMs: request.timeoutMs,
    signal: request.signal,
    onStatus: request.onStatus,
    start(node) {
      const check = startNodeCheck(node, request.context(node, request.images, request.part));
      running.set(node, check);
      started.set(node, request.clock.now());
      if (perNode === 0) return check;
      return {
        output(line) {
          const before = check.imagesBegun();
          check.output(line);
          if (check.imagesBegun() !== before) report();
        },
        clientTalk: (line) => check.clientTalk(line),
      };
    },
    async end(node, end) {
      await request.keep(node, running.get(node)!, end);
      // A finished node keeps its verdict only, not its readers (500 nodes add up).
      running.delete(node);
      started.delete(node);
      done += 1;
      begunByDone += perNode;
      report();
    },
  });
}

export type Phase = (step: Progress['step'], nodes: string[], command: string[], images: ImageCheck[], keep: PhaseRequest['keep']) => Promise<NodeRunOutcome>;

export interface ComposedRequest {
  /** The Ready nodes, in the cluster's order. */
  ready: string[];
  checks: ImageCheck[];
  /** The read of these images, for a node's own reads. */
  command(images: ImageCheck[]): string[];
  /** The survey: every node's fingerprint and reach, no image read. */
  survey: string[];
  phase: Phase;
  /** The results of the nodes that read (readers, own reads, failed surveys), filled in. */
  results: Map<string, NodeResult[]>;
  context: Pick<NodeCheckContext, 'expected' | 'expectedSignatures' | 'images'>;
  signal: AbortSignal;
}

interface Survey {
  fingerprint: Fingerprint;
  raw: RawFacts;
  durationMs: number;
}

/**
 * Survey every node; read every image on one node per fingerprint; give the others the reader's
 * verdicts where their network answered alike, and read the rest on the nodes themselves.
 */
export interface Composed {
  outcomes: NodeRunOutcome[];
  readers: string[];
  borrowed: Borrowed[];
  /** What the borrowing nodes' facts say beside the verdicts they take. */
  warnings: FactWarning[];
}

export async function readComposed(request: ComposedRequest): Promise<Composed> {
  const { checks, results } = request;
  const surveys = new Map<string, Survey>();
  const outcomes = [
    await request.phase('survey', request.ready, request.survey, checks, async (node, check, end) => {
      const report = check.report();
      if (report.complete && report.facts.fingerprint) {
        surveys.set(node, { fingerprint: report.facts.fingerprint, raw: report.facts, durationMs: end.durationMs });
        await check.close();
      } else {
        // A node that said nothing of its files: its run's end (a timeout, say) is each image's answer.
        results.set(node, await check.finish(end));
      }
    }),
  ];
  if (request.signal.aborted) return { outcomes, readers: [], borrowed: [], warnings: [] };
  const surveyed = request.ready.filter((n) => surveys.has(n));
  const readers = readersOf(surveyed.map((node) => ({ node, fingerprint: surveys.get(node)!.fingerprint })));
  const readerNodes = new Set(readers.values());
  outcomes.push(await request.phase('read', [...readerNodes], request.command(checks), checks, async (node, check, end) => void results.set(node, await check.finish(end))));
  if (request.signal.aborted) return { outcomes, readers: [...readerNodes], borrowed: [], warnings: [] };

  const own = new Map<string, Set<string>>();
  const borrowed: Borrowed[] = [];
  const warnings: FactWarning[] = [];
  for (const node of surveyed.filter((n) => !readerNodes.has(n))) {
    const mine = surveys.get(node)!;
    const reader = readers.get(mine.fingerprint.digest)!;
    const theirs = surveys.get(reader)!;
    const reads = results.get(reader) ?? [];
    const taken: NodeResult[] = [];
    for (const check of checks) {
      const read = reads.find((r) => r.image === check.image);
      if (read && mayBorrow(mine.fingerprint, theirs.fingerprint, read)) taken.push(read);
      else (own.get(node) ?? own.set(node, new Set()).get(node)!).add(check.image);
    }
    if (taken.length === 0) continue;
    const said = borrowedFacts(node, mine.raw, taken, request.context);
    warnings.push(...said.warnings);
    borrowed.push({ name: node, readBy: reader, reads: taken, crioStale: said.crioStale });
  }
  if (own.size > 0) {
    const images = checks.filter((c) => [...own.values()].some((s) => s.has(c.image)));
    outcomes.push(
      await request.phase('own-read', [...own.keys()], request.command(images), images, async (node, check, end) => {
        results.set(node, (await check.finish(end)).filter((r) => own.get(node)!.has(r.image)));
      }),
    );
  }
  return { outcomes, readers: [...readerNodes], borrowed, warnings };
}

/** The runs' outcomes as one: the last namespace made, removed only when every one was. */
export function mergedOutcome(outcomes: NodeRunOutcome[]): NodeRunOutcome {
  const made = outcomes.filter((o) => o.namespace !== null);
  const notices = [...new Map(outcomes.flatMap((o) => o.notices).map((n) => [JSON.stringify(n), n])).values()];
  return { namespace: made.at(-1)?.namespace ?? null, cleanedUp: outcomes.every((o) => o.cleanedUp), notices };
}
