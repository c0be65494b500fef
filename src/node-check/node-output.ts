// The node script's output is a sequence of sections introduced by marker lines, so one pod can
// report several things in one stream: each image's pull (read here) and each node fact (read by
// the fact's own reader, facts/). node-script.ts puts the script together.
import { CrioJournalReader } from '../pull-log/crio-journal.js';
import type { CrioImagePull, ImagePull, PullEvidence } from '../pull-log/evidence.js';
import { readLogLine } from '../pull-log/logrus.js';
import { PullLogReader } from '../pull-log/pull-log.js';
import type { FactReader } from './fact.js';
import { ALL_FACTS, type RawFacts } from './facts/index.js';

export const MARKER = '::oc-icsp::';

/** The marker words of the pulls; the facts add their own (test/node-check holds the script to both). */
export const PULL_MARKS = ['section', 'image', 'image-present', 'pull-exit', 'crictl-exit', 'crio-journal-end', 'pass', 'end'] as const;
/** Every marker word the node script writes. */
export const MARKS = [...PULL_MARKS, ...ALL_FACTS.flatMap((f) => f.marks)];
/** Read in logs that older scripts wrote (before the throwaway store), never written now. */
export const LEGACY_MARKS = ['removed'] as const;
/** The sections of the pulls; the facts add their own. */
const PULL_SECTIONS = ['crictl', 'crio-journal', 'pull'] as const;
/** Every section the script opens with `section NAME`. */
export const SECTIONS = [...PULL_SECTIONS, ...ALL_FACTS.flatMap((f) => f.sections)];
type PullSection = (typeof PULL_SECTIONS)[number];

export interface NodeReport {
  pulls: ImagePull[];
  crio: CrioImagePull[];
  /** The last lines that were not part of a section, to explain a failure. */
  strayTail: string[];
  /** The script reached its end marker: nothing more will come. */
  complete: boolean;
  /** What each node fact read. */
  facts: RawFacts;
}

/** What the verdict reads of a report: its pulls and the facts a failing mirror's reason carries. */
export const evidenceOf = (report: NodeReport): PullEvidence => ({
  pulls: report.pulls,
  strayTail: report.strayTail,
  proxy: report.facts.proxy,
  credentials: report.facts.credentials,
});

const STRAY_TAIL = 5;

interface PullInProgress {
  image: string | null;
  presentBefore: boolean | null;
  exitCode: number | null;
  removed: 'yes' | 'failed' | null;
  reader: PullLogReader;
}

export class NodeOutputReader {
  private section: PullSection | { fact: FactReader<unknown>; name: string } | null = null;
  private pulls: PullInProgress[] = [];
  private strayTail: string[] = [];
  private complete = false;
  private crio: { image: string; exitCode: number | null; error: string | null; journal: CrioJournalReader }[] = [];
  private image: string | null = null;
  private readonly facts = ALL_FACTS.map((fact) => ({ fact, reader: fact.reader() }));
  private readonly factOfMark = new Map(this.facts.flatMap((f) => f.fact.marks.map((m) => [m, f.reader] as const)));
  private readonly factOfSection = new Map(this.facts.flatMap((f) => f.fact.sections.map((s) => [s, f.reader] as const)));

  feed(line: string): void {
    if (line.startsWith(MARKER)) {
      this.marker(line.slice(MARKER.length).trim());
      return;
    }
    const section = this.section;
    if (section !== null && typeof section === 'object') return section.fact.line(section.name, line);
    switch (section) {
      case 'pull':
        this.current().reader.feed(line);
        return;
      case 'crictl': {
        // crictl's fatal line carries CRI-O's error, quoted as Go quotes it: containers/image joins
        // the mirrors' errors with newlines (docker/docker_image_src.go), which arrive as \n.
        const { level, message } = readLogLine(line);
        if (level === 'fatal') this.crio.at(-1)!.error = message.replace(/^(?:pulling image: )?(?:rpc error: code = \w+ desc = )?/, '');
        return;
      }
      case 'crio-journal':
        this.crio.at(-1)!.journal.feed(line);
        return;
      default:
        if (line.trim() === '') return;
        this.strayTail.push(line);
        if (this.strayTail.length > STRAY_TAIL) this.strayTail.shift();
    }
  }

  /** How many images the node has begun to read: a run's progress. */
  get imagesBegun(): number {
    return this.pulls.length;
  }

  result(): NodeReport {
    return {
      crio: this.crio.map((c) => ({ image: c.image, exitCode: c.exitCode, error: c.error, journal: c.journal.result().pulls.findLast((p) => p.image === c.image) ?? null })),
      pulls: this.pulls.map((p) => ({ image: p.image, presentBefore: p.presentBefore, exitCode: p.exitCode, removed: p.removed, log: p.reader.result(p.exitCode) })),
      strayTail: [...this.strayTail],
      complete: this.complete,
      facts: Object.fromEntries(this.facts.map(({ fact, reader }) => [fact.key, reader.result()])) as RawFacts,
    };
  }

  /** The pull being reported; logs from before images were named start one on first mention. */
  private current(): PullInProgress {
    if (this.pulls.length === 0) this.pulls.push({ image: null, presentBefore: null, exitCode: null, removed: null, reader: new PullLogReader() });
    return this.pulls.at(-1)!;
  }

  private newPull(): void {
    if (this.image !== null && this.pulls.at(-1)?.image !== this.image) this.pulls.push({ image: this.image, presentBefore: null, exitCode: null, removed: null, reader: new PullLogReader() });
  }

  private marker(text: string): void {
    const [word = '', ...rest] = text.split(' ');
    const arg = rest.join(' ');
    const fact = this.factOfMark.get(word);
    if (fact) {
      // A fact's mark also ends whatever section was open (crio-events-end, say).
      if (this.section !== null && typeof this.section === 'object' && this.section.fact === fact) this.section = null;
      return fact.mark(word, rest);
    }
    switch (word) {
      case 'section': {
        const [name = '', ...args] = rest;
        const owner = this.factOfSection.get(name);
        if (owner) {
          this.section = { fact: owner, name };
          owner.open?.(name, args);
          return;
        }
        this.section = PULL_SECTIONS.find((s) => s === name) ?? null;
        if (this.section === 'crictl') this.crio.push({ image: this.image ?? '', exitCode: null, error: null, journal: new CrioJournalReader() });
        if (this.section === 'pull') this.newPull();
        return;
      }
      case 'image':
        this.image = arg;
        return;
      case 'crictl-exit':
        this.crio.at(-1)!.exitCode = Number.parseInt(arg, 10);
        this.section = null;
        return;
      case 'crio-journal-end':
        this.section = null;
        return;
      case 'image-present':
        this.newPull();
        this.current().presentBefore = arg === 'yes';
        return;
      case 'pull-exit':
        this.current().exitCode = Number.parseInt(arg, 10);
        this.section = null;
        return;
      case 'removed':
        this.current().removed = arg === 'yes' ? 'yes' : 'failed';
        return;
      case 'end':
        this.complete = true;
        this.section = null;
        return;
    }
  }
}

export function readNodeOutput(text: string): NodeReport {
  const reader = new NodeOutputReader();
  for (const line of text.split('\n')) reader.feed(line);
  return reader.result();
}
