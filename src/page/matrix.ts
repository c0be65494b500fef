// Every document as one matrix: each node's outcome for each image. A cell's class is what a
// person sees in it (verdict, reason, words, where it was served from, today's verdict), and
// holds nothing of the image's own name, so that images alike share a row.
import type { AuditDoc, AuditPull, Outcome, PageDocument, VerifyDoc, VerifyImagesDoc } from './documents.js';
import { relativeTo } from './page-data.js';

/** How a cell reads at a glance; never shown by colour alone (each class has a symbol and a word). */
export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

export interface CellClass {
  label: string;
  tone: Tone;
  symbol: string;
  code: string;
  detail: string;
  hint: string | null;
  /** The registry that served, where one did. */
  servedBy: string | null;
  /** --compare: what the node's own files gave today. */
  now: { label: string; tone: Tone; code: string } | null;
  /** --engine both: where podman and CRI-O differ (its code and words). */
  engines: { code: string; message: string } | null;
}

export interface CellAttempt {
  /** Relative to its image (page-data.ts relativeTo): the page carries each digest once. */
  reference: string;
  mirror: boolean;
  ok: boolean | null;
  reason: string | null;
  message: string | null;
  at?: string;
}

export interface CellOutcome {
  cls: number;
  /** Relative to its image, as CellAttempt.reference. */
  pulledFrom: string | null;
  attempts: CellAttempt[];
}

export interface Matrix {
  images: string[];
  nodes: string[];
  classes: CellClass[];
  outcomes: CellOutcome[];
  /** outcome index of node n for image i at n * images.length + i; -1: none. */
  cells: Int32Array;
}

const VERDICTS: Record<string, { tone: Tone; symbol: string }> = {
  mirrored: { tone: 'ok', symbol: '✓' },
  'mirror-failed': { tone: 'bad', symbol: '✗' },
  'not-mirrored': { tone: 'warn', symbol: '↷' },
  error: { tone: 'bad', symbol: '!' },
  skipped: { tone: 'muted', symbol: '–' },
};

const AUDIT: Record<string, { label: string; tone: Tone; symbol: string }> = {
  mirror: { label: 'mirror', tone: 'ok', symbol: '✓' },
  source: { label: 'source', tone: 'warn', symbol: '↷' },
  failed: { label: 'failed', tone: 'bad', symbol: '✗' },
  none: { label: 'no result', tone: 'muted', symbol: '?' },
};

/** A pull with a finding reads at least this badly, whatever it ended with (app/audit.ts findingsFor). */
const FINDING_TONE: Record<string, Tone> = { 'silent-fallback': 'warn', 'tag-under-digest-only': 'warn', 'failed-on-every-mirror': 'bad', 'signature-refused': 'bad' };
/** Worst first. */
export const RANK: Record<Tone, number> = { bad: 0, warn: 1, muted: 2, ok: 3 };

const verdictLook = (verdict: string) => VERDICTS[verdict] ?? { tone: 'muted' as Tone, symbol: '?' };

/** The registry host of a reference: `mirror.example:5000/ns/app@sha256:…` → `mirror.example:5000`. */
const hostOf = (reference: string | null) => (reference ? reference.split('/')[0]! : null);

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const textOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

class Builder {
  readonly classes: CellClass[] = [];
  readonly outcomes: CellOutcome[] = [];
  private readonly classIds = new Map<string, number>();
  private readonly outcomeIds = new Map<string, number>();

  classOf(cls: CellClass): number {
    const key = JSON.stringify(cls);
    return this.classIds.get(key) ?? this.classIds.set(key, this.classes.push(cls) - 1).get(key)!;
  }

  outcomeOf(outcome: CellOutcome): number {
    const key = JSON.stringify(outcome);
    return this.outcomeIds.get(key) ?? this.outcomeIds.set(key, this.outcomes.push(outcome) - 1).get(key)!;
  }

  /** A verify outcome (Verify's node, VerifyImages' group): its class and its own references. */
  verifyOutcome(o: Outcome & { disagreement?: { code: string; message: string } | null }, image: string): number {
    const look = verdictLook(text(o.verdict));
    const now = o.now ? { label: text(o.now.verdict), tone: verdictLook(text(o.now.verdict)).tone, code: text(o.now.code) } : null;
    const cls = this.classOf({ label: text(o.verdict), ...look, code: text(o.code), detail: text(o.detail), hint: textOrNull(o.hint), servedBy: hostOf(textOrNull(o.pulledFrom)), now, engines: o.disagreement ? { code: text(o.disagreement.code), message: text(o.disagreement.message) } : null });
    const attempts = (Array.isArray(o.attempts) ? o.attempts : []).map((a) => ({ reference: relativeTo(text(a.reference), image), mirror: Boolean(a.mirror), ok: a.ok ?? null, reason: textOrNull(a.reason), message: textOrNull(a.message) }));
    const from = textOrNull(o.pulledFrom);
    return this.outcomeOf({ cls, pulledFrom: from && relativeTo(from, image), attempts });
  }
}

// Nodes in name order (worker-2 before worker-10), as the terminal lists them.
const byName = new Intl.Collator(undefined, { numeric: true }).compare;

function matrixOf(images: string[], unordered: string[], builder: Builder, fill: (set: (node: string, image: string, outcome: number) => void) => void): Matrix {
  const nodes = [...unordered].sort(byName);
  const imageIndex = new Map(images.map((image, i) => [image, i]));
  const nodeIndex = new Map(nodes.map((node, i) => [node, i]));
  const cells = new Int32Array(images.length * nodes.length).fill(-1);
  fill((node, image, outcome) => {
    cells[nodeIndex.get(node)! * images.length + imageIndex.get(image)!] = outcome;
  });
  return { images, nodes, classes: builder.classes, outcomes: builder.outcomes, cells };
}

const unique = (values: string[]) => [...new Set(values)];

function verifyMatrix(doc: VerifyDoc): Matrix {
  const builder = new Builder();
  const images = unique([...doc.images.map(text), ...doc.nodes.map((n) => text(n.image))]);
  return matrixOf(images, unique(doc.nodes.map((n) => text(n.name))), builder, (set) => {
    for (const n of doc.nodes) set(text(n.name), text(n.image), builder.verifyOutcome(n, text(n.image)));
  });
}

function imagesMatrix(doc: VerifyImagesDoc): Matrix {
  const builder = new Builder();
  const sets = doc.nodeSets.map((s) => (Array.isArray(s) ? s.map(text) : []));
  const nodes = unique(sets.flat());
  return matrixOf(unique(doc.images.map((i) => text(i.image))), nodes, builder, (set) => {
    for (const { image, outcomes } of doc.images) {
      for (const o of Array.isArray(outcomes) ? outcomes : []) {
        const id = builder.verifyOutcome(o, text(image));
        for (const node of sets[o.nodes] ?? []) set(node, text(image), id);
      }
    }
  });
}

/** Audit: a node's pulls of an image by their last, its finding (if any) the reason. */
function auditMatrix(doc: AuditDoc): Matrix {
  const builder = new Builder();
  const findings = new Map<string, AuditDoc['findings']>();
  for (const f of doc.findings) (findings.get(`${f.node}\n${f.image}`) ?? findings.set(`${f.node}\n${f.image}`, []).get(`${f.node}\n${f.image}`)!).push(f);
  const images = unique(doc.nodes.flatMap((n) => (Array.isArray(n.pulls) ? n.pulls.map((p) => text(p.image)) : [])));
  return matrixOf(images, doc.nodes.map((n) => text(n.name)), builder, (set) => {
    for (const node of doc.nodes) {
      const byImage = new Map<string, AuditPull[]>();
      for (const p of Array.isArray(node.pulls) ? node.pulls : []) (byImage.get(text(p.image)) ?? byImage.set(text(p.image), []).get(text(p.image))!).push(p);
      for (const [image, pulls] of byImage) {
        const last = pulls.at(-1)!;
        const served = last.outcome === 'succeeded' ? (last.mirror ? AUDIT.mirror! : AUDIT.source!) : last.outcome === 'failed' ? AUDIT.failed! : AUDIT.none!;
        const found = findings.get(`${node.name}\n${image}`) ?? [];
        const kinds = unique(found.map((f) => text(f.kind)));
        const tone = kinds.map((k) => FINDING_TONE[k] ?? 'warn').reduce((worst, t) => (RANK[t] < RANK[worst] ? t : worst), served.tone);
        const cls = builder.classOf({
          ...served,
          tone,
          code: kinds.join(', ') || (last.outcome === 'succeeded' ? (last.mirror ? 'served-by-mirror' : 'served-by-source') : text(last.outcome)),
          detail: unique(found.map((f) => text(f.detail))).join('; ') || `${pulls.length} pull(s); the last ${last.outcome === 'succeeded' ? `served by ${last.mirror ? 'a mirror' : 'the source'}` : text(last.outcome)}`,
          hint: null,
          servedBy: hostOf(textOrNull(last.servedBy)),
          now: null,
          engines: null,
        });
        const attempts = (Array.isArray(last.attempts) ? last.attempts : []).map((a) => ({ reference: relativeTo(text(a.reference), image), mirror: Boolean(a.mirror), ok: null, reason: textOrNull(a.reason), message: textOrNull(a.message), at: text(a.at) }));
        const from = textOrNull(last.servedBy);
        set(text(node.name), image, builder.outcomeOf({ cls, pulledFrom: from && relativeTo(from, image), attempts }));
      }
    }
  });
}

export function documentMatrix(doc: PageDocument): Matrix {
  if (doc.kind === 'Verify') return verifyMatrix(doc);
  if (doc.kind === 'VerifyImages') return imagesMatrix(doc);
  return auditMatrix(doc);
}
