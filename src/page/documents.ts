// The documents a page is drawn from, as `-o json` prints them (docs/output.md): the fields the
// page reads, declared here, and the check that a parsed file is one of them. A document of a
// version or kind the page does not know is refused, saying which it reads.
import { InputError } from '../errors.js';
import type { RunFacts } from '../report/document.js';
import type { AuditDocument } from '../report/public-documents.js';

export type { RunFacts };

export interface Attempt {
  reference: string;
  mirror: boolean;
  ok: boolean | null;
  reason: string | null;
  message: string | null;
}

/** What a node's own files gave, beside the proposal's verdict (--compare). */
export interface Now {
  verdict: string;
  code: string;
  pulledFrom: string | null;
}

export interface Outcome {
  verdict: string;
  code: string;
  pulledFrom: string | null;
  detail: string;
  hint: string | null;
  attempts: Attempt[];
  now: Now | null;
}

export interface Proposal {
  applied: string[];
  deleted: string[];
  rollout: { pool: string; action: string; because: string; message: string }[];
}

interface Common {
  check: string;
  strategy: string;
  warningReasons: { code: string; message: string; node?: string | null }[];
  proposal: Proposal | null;
  notCovered: { image: string; seenIn: string; containers: number }[];
  run?: RunFacts;
}

export interface VerifyDoc extends Common {
  kind: 'Verify';
  image: string;
  images: string[];
  /** `disagreement`: with --engine both, where podman and CRI-O differ. */
  nodes: (Outcome & { name: string; image: string; disagreement?: { code: string; message: string } | null })[];
  summary: Record<string, number>;
}

export interface VerifyImagesDoc extends Common {
  kind: 'VerifyImages';
  summary: string;
  nodeSets: string[][];
  images: { image: string; outcomes: (Outcome & { nodes: number; count: number })[] }[];
  verdicts: Record<string, number>;
}

/** Audit's document is declared where it is printed (report/public-documents.ts). */
export type AuditPull = AuditDocument['nodes'][number]['pulls'][number];
export type AuditDoc = AuditDocument & { kind: 'Audit' };

export type PageDocument = VerifyDoc | VerifyImagesDoc | AuditDoc;

/** The kinds and versions a page is drawn from; the same as the commands print today. */
export const READS: Record<PageDocument['kind'], string> = { Verify: 'oc-icsp/v3', VerifyImages: 'oc-icsp/v1', Audit: 'oc-icsp/v1' };

const readsWords = () =>
  `${Object.entries(READS)
    .map(([kind, version]) => `${kind} (${version})`)
    .join(', ')}, as verify and audit print them with -o json`;

/** The fields each kind must have for its page, each an array or an object. */
const REQUIRED: Record<PageDocument['kind'], Record<string, 'array' | 'object' | 'string'>> = {
  Verify: { nodes: 'array', images: 'array', summary: 'object', check: 'string', strategy: 'string' },
  VerifyImages: { images: 'array', nodeSets: 'array', summary: 'string', check: 'string', strategy: 'string' },
  Audit: { nodes: 'array', findings: 'array', since: 'string', until: 'string' },
};

const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** A parsed file as a document the page reads, or an InputError that says what it reads. */
export function pageDocument(value: unknown, source: string): PageDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${source}: not a document: the page is drawn from ${readsWords()}`);
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  const known = typeof kind === 'string' && Object.hasOwn(READS, kind) ? (kind as PageDocument['kind']) : null;
  if (!known || apiVersion !== READS[known]) {
    const what = typeof kind === 'string' ? `a ${kind} document${typeof apiVersion === 'string' ? ` (${apiVersion})` : ''}` : 'a document without a kind';
    throw new InputError(`${source}: ${what}: the page is drawn from ${readsWords()}`);
  }
  for (const [field, type] of Object.entries(REQUIRED[known])) {
    const found = typeOf((value as Record<string, unknown>)[field]);
    if (found !== type) throw new InputError(`${source}: ${known} document with ${field} ${found === 'undefined' ? 'missing' : `a ${found}`}, not a${type === 'array' ? 'n' : ''} ${type}: save it again with -o json`);
  }
  for (const [field, type] of Object.entries(REQUIRED[known])) {
    const items = (value as Record<string, unknown>)[field];
    const item = ITEMS[known][field];
    if (type !== 'array' || !item || !Array.isArray(items)) continue;
    const bad = items.findIndex((x) => typeOf(x) !== item);
    if (bad !== -1) throw new InputError(`${source}: ${known} document whose ${field}[${bad}] is a ${typeOf(items[bad])}, not an ${item}: save it again with -o json`);
  }
  return value as PageDocument;
}

/** What the items of each array field are. */
const ITEMS: Record<PageDocument['kind'], Record<string, 'object' | 'array'>> = {
  Verify: { nodes: 'object' },
  VerifyImages: { images: 'object', nodeSets: 'array' },
  Audit: { nodes: 'object', findings: 'object' },
};
