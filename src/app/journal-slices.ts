// A node's journal read answer after answer: the kubelet cuts an answer at its deadline without
// a word (src/oc/node-logs.ts), so each next request starts at the time of the last line read,
// with the lines already read at that time skipped (journalctl's --since includes them), until an
// answer brings nothing new. Pure: it sees lines and says where to ask from next.
import { endpointTime } from '../oc/node-logs.js';
import { journalLineTime } from '../pull-log/crio-journal.js';

type Stamp = { at: Date; micros: number };
const key = (t: Stamp) => t.at.getTime() * 1000 + (t.micros % 1000);

export class JournalSlices {
  private last: Stamp | null = null;
  /** The lines read at the last time, each with how often: the next answer starts with them again. */
  private atLast = new Map<string, number>();
  private repeats = new Map<string, number>();
  private fresh = 0;

  constructor(
    private readonly until: Date,
    private readonly onLine: (line: string) => void,
  ) {}

  /** Before each answer. */
  begin(): void {
    this.fresh = 0;
    this.repeats = new Map(this.atLast);
  }

  feed(line: string): void {
    const t = journalLineTime(line, this.until);
    // "-- No entries --" and the like: journalctl's own words, not the journal.
    if (!t) return;
    const left = this.repeats.get(line) ?? 0;
    if (left > 0 && this.last && key(t) === key(this.last)) {
      this.repeats.set(line, left - 1);
      return;
    }
    if (!this.last || key(t) > key(this.last)) {
      this.last = t;
      this.atLast = new Map();
    }
    if (key(t) === key(this.last)) this.atLast.set(line, (this.atLast.get(line) ?? 0) + 1);
    this.fresh++;
    this.onLine(line);
  }

  /** After an answer: where the next one starts, or null when this one brought nothing new. */
  next(): string | null {
    return this.fresh === 0 || !this.last ? null : endpointTime(this.last.at, this.last.micros);
  }

  /** The time of the last line read, as ISO 8601; null if none. */
  readUpTo(): string | null {
    return this.last ? this.last.at.toISOString() : null;
  }
}
