// Many images at once: the answer first. Each image's nodes grouped by outcome; images with the
// same finding on the same nodes on one line, nodes folded; -o wide one row per image and
// outcome, its detail under it; -o json a compact document (kind VerifyImages, docs/output.md):
// each image's outcomes, each naming a set of nodes listed once.
import type { VerifyResult } from '../app/verify.js';
import type { Verdict } from '../pull-log/evidence.js';
import { type Paint, plain } from './colors.js';
import { type OutputFormat, renderDocument, type RunFacts } from './document.js';
import { foldNames } from './fold.js';
import { reasonWords, type Speaker } from './reasons.js';
import { renderTable } from './table.js';
import { proposalDocument } from './proposal-words.js';
import { warningWords } from './warning-words.js';
import { plural } from './summary-words.js';

type NodeResult = VerifyResult['nodes'][number];

/** Nodes that got the same answer for an image. */
export interface OutcomeGroup {
  verdict: Verdict;
  code: string;
  reason: NodeResult['reason'];
  pulledFrom: string | null;
  summary: string;
  detail: string;
  hint: string | null;
  attempts: NodeResult['attempts'];
  /** --compare: the verdict the node's own files gave. */
  now: NodeResult['now'];
  nodes: string[];
}

export interface ImageOutcome {
  image: string;
  /** Findings first, then the biggest group. */
  groups: OutcomeGroup[];
}

// Findings first: the three nodes that matter before the 497 that are fine.
const ORDER: Record<Verdict, number> = { error: 0, 'mirror-failed': 1, 'not-mirrored': 2, skipped: 3, mirrored: 4 };

/** Each image's nodes, grouped by what they got: the verdict, where from, and its reason. */
export function imageOutcomes(result: VerifyResult): ImageOutcome[] {
  const speaker: Speaker = { clientName: result.clientName, invokedAs: result.invokedAs };
  const byImage = new Map<string, Map<string, OutcomeGroup>>(result.images.map((i) => [i, new Map()]));
  // One reason's words are worked out once: a composed run shares its reader's reason objects.
  const words = new Map<NodeResult['reason'], ReturnType<typeof reasonWords>>();
  // A reader's result's group, found once for all the nodes that took it.
  const keys = new Map<NodeResult, string>();
  const add = (name: string, n: NodeResult) => {
    const groups = byImage.get(n.image) ?? byImage.set(n.image, new Map()).get(n.image)!;
    const said = words.get(n.reason) ?? words.set(n.reason, reasonWords(n.reason, speaker)).get(n.reason)!;
    // The outcome: the verdict, where from, and the reason with all its fields (two nodes that failed
    // alike on the first mirror may have failed otherwise on the next: their reasons say so).
    const key = keys.get(n) ?? keys.set(n, JSON.stringify([n.verdict, n.pulledFrom, n.reason, n.now])).get(n)!;
    const group = groups.get(key);
    if (group) group.nodes.push(name);
    else groups.set(key, { verdict: n.verdict, code: n.reason.code, reason: n.reason, pulledFrom: n.pulledFrom, ...said, attempts: n.attempts, now: n.now, nodes: [name] });
  };
  for (const n of result.nodes) add(n.name, n);
  for (const b of result.borrowed) for (const read of b.reads) add(b.name, read);
  // Nodes in name order (worker-2 before worker-10), whoever read for them.
  const byName = new Intl.Collator(undefined, { numeric: true }).compare;
  for (const groups of byImage.values()) for (const g of groups.values()) g.nodes.sort(byName);
  return [...byImage].map(([image, groups]) => ({
    image,
    groups: [...groups.values()].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict] || b.nodes.length - a.nodes.length),
  }));
}

const PHRASE: Record<Exclude<Verdict, 'mirrored'>, string> = {
  'mirror-failed': 'no mirror served',
  'not-mirrored': 'came from the source, not a mirror,',
  error: 'could not be checked',
  skipped: 'were not checked',
};

/** A finding: the images that got it on the same nodes. */
interface Finding {
  group: OutcomeGroup;
  images: string[];
}

function findingsOf(outcomes: ImageOutcome[]): Finding[] {
  const findings = new Map<string, Finding>();
  for (const { image, groups } of outcomes) {
    for (const group of groups.filter((g) => g.verdict !== 'mirrored')) {
      const key = JSON.stringify([group.verdict, group.code, group.summary, group.hint, group.nodes]);
      (findings.get(key) ?? findings.set(key, { group, images: [] }).get(key)!).images.push(image);
    }
  }
  return [...findings.values()].sort(
    (a, b) => ORDER[a.group.verdict] - ORDER[b.group.verdict] || b.images.length - a.images.length || b.group.nodes.length - a.group.nodes.length,
  );
}

// The images under a finding, before `-o wide` is needed for the rest.
const SHOWN_IMAGES = 10;

/** The answer first: how many images every node got from a mirror, then each finding, folded. */
export function imagesSummary(result: VerifyResult, outcomes: ImageOutcome[]): string[] {
  const nodes = new Set([...result.nodes.map((n) => n.name), ...result.borrowed.map((b) => b.name)]);
  const clean = outcomes.filter((o) => o.groups.every((g) => g.verdict === 'mirrored')).length;
  const lines = [`${plural(outcomes.length, 'image')} x ${plural(nodes.size, 'node')}: ${clean} served by a mirror on every node`];
  // --compare: what the change breaks, before what was broken already.
  const regressions = outcomes.flatMap((o) => o.groups.filter((g) => g.now?.verdict === 'mirrored' && g.verdict !== 'mirrored').map((g) => g.nodes.length)).reduce((a, b) => a + b, 0);
  if (outcomes.some((o) => o.groups.some((g) => g.now))) lines.push(`regressions: ${regressions} node-image verdict(s) mirrored today and not after the change`);
  for (const { group, images } of findingsOf(outcomes)) {
    const where = group.nodes.length === nodes.size ? 'on every node' : `on ${plural(group.nodes.length, 'node')} (${foldNames(group.nodes)})`;
    lines.push(`${plural(images.length, 'image')} ${PHRASE[group.verdict as Exclude<Verdict, 'mirrored'>]} ${where}: ${group.summary}`);
    for (const image of images.slice(0, SHOWN_IMAGES)) lines.push(`  ${image}`);
    if (images.length > SHOWN_IMAGES) lines.push(`  ... and ${images.length - SHOWN_IMAGES} more (-o wide lists every image)`);
    if (group.hint) lines.push(`  hint: ${group.hint}`);
  }
  return lines;
}

const COLOR: Record<Verdict, Parameters<Paint>[1]> = { mirrored: 'green', 'mirror-failed': 'red', 'not-mirrored': 'yellow', error: 'red', skipped: 'dim' };

/**
 * -o wide: a row per image and outcome; where it came from, the nodes, the detail and the hint on
 * lines of their own under it, so that long repository and node names do not widen the table.
 */
async function wideRows(outcomes: ImageOutcome[], paint: Paint): Promise<string> {
  const rows = outcomes.flatMap(({ image, groups }) => groups.map((g) => ({ image, g })));
  const table = (await renderTable(['image', 'verdict', 'nodes'], rows.map(({ image, g }) => [image, paint(g.verdict, COLOR[g.verdict]), String(g.nodes.length)]), {}))
    .trimEnd()
    .split('\n');
  const out = [table[0]!];
  rows.forEach(({ g }, i) => {
    out.push(table[i + 1]!);
    if (g.pulledFrom) out.push(`    from: ${g.pulledFrom}`);
    out.push(`    nodes: ${foldNames(g.nodes)}`, `    ${g.detail}`);
    if (g.hint) out.push(`    hint: ${g.hint}`);
  });
  return `${out.join('\n')}\n`;
}

/** -o json|yaml: each image's outcomes; the node sets each listed once (`nodeSets`), outcomes naming one by index. */
export function imagesDocument(result: VerifyResult, outcomes: ImageOutcome[], run?: RunFacts): object {
  const speaker: Speaker = { clientName: result.clientName, invokedAs: result.invokedAs };
  const sets = new Map<string, number>();
  const setOf = (nodes: string[]) => {
    const key = nodes.join('\n');
    return sets.get(key) ?? sets.set(key, sets.size).get(key)!;
  };
  const images = outcomes.map(({ image, groups }) => ({
    image,
    outcomes: groups.map((g) => ({
      verdict: g.verdict,
      code: g.code,
      reason: g.reason,
      pulledFrom: g.pulledFrom,
      detail: g.detail,
      hint: g.hint,
      attempts: g.attempts.map((a) => ({ reference: a.reference, mirror: a.mirror, ok: a.ok, reason: a.reason, message: a.message })),
      now: g.now,
      nodes: setOf(g.nodes),
      count: g.nodes.length,
    })),
  }));
  return {
    summary: imagesSummary(result, outcomes)[0],
    check: result.check,
    strategy: result.strategy,
    composed: result.composed,
    policies: result.policies,
    warningReasons: result.warnings.map((w) => ({ ...w, message: warningWords(w, speaker) })),
    nodeSets: [...sets.keys()].map((k) => k.split('\n')),
    images,
    notCovered: result.notCovered.map((r) => ({ image: r.image, seenIn: r.seenIn, containers: r.containers })),
    verdicts: result.summary,
    proposal: proposalDocument(result.proposal),
    ...(run ? { run } : {}),
  };
}

export async function renderImages(result: VerifyResult, format: OutputFormat, paint: Paint = plain, run?: RunFacts): Promise<string> {
  const outcomes = imageOutcomes(result);
  if (format === 'json' || format === 'yaml') return renderDocument('VerifyImages', imagesDocument(result, outcomes, run), format);
  if (format === 'wide') return wideRows(outcomes, paint);
  return `${imagesSummary(result, outcomes).join('\n')}\n`;
}
