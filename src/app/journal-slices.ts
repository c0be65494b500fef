// A node's journal read answer after answer: the kubelet cuts an answer at its deadline without
// a word (src/oc/node-logs.ts), so each next request starts at the time of the last line read,
// with the lines already read at that time skipped (journalctl's --since includes them), until an
// answer brings nothing new. The kubelet kills journalctl mid-write, and its output to a pipe is
// not flushed, so a cut answer usually ends in the middle of a line: a last line without its
// newline is dropped, and read whole in the next answer. An answer with neither a journal line
// nor journalctl's "-- No entries --" did not read the journal at all (the 4.14+ kubelet answers
// 200 with only "options present and query resolved to log files for [crio crio]" when its
// check that crio logs to the journal fails): that is said, never taken for an empty journal.
// Pure: it sees lines and says where to ask from next.
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
  /** The line last fed, held until the answer says whether it was whole. */
  private held: string | null = null;
  private journalLines = 0;
  private noEntries = false;
  /** What the answer said that is not the journal (the kubelet's own words). */
  private said: string[] = [];

  constructor(
    private readonly until: Date,
    private readonly onLine: (line: string) => void,
  ) {}

  /** Before each answer. */
  begin(): void {
    this.fresh = 0;
    this.repeats = new Map(this.atLast);
    this.held = null;
    this.journalLines = 0;
    this.noEntries = false;
    this.said = [];
  }

  feed(line: string): void {
    if (this.held !== null) this.take(this.held);
    this.held = line;
  }

  /** After an answer's last line: whether its output ended with a newline (a cut one did not). */
  end(endedWithNewline: boolean): void {
    if (this.held !== null && endedWithNewline) this.take(this.held);
    this.held = null;
  }

  /**
   * The kubelet's words when the answer read no journal at all (neither a line nor
   * "-- No entries --"); null when it did.
   */
  unread(): string | null {
    if (this.journalLines > 0 || this.noEntries) return null;
    return this.said.join(' ') || 'an empty answer';
  }

  private take(line: string): void {
    const t = journalLineTime(line, this.until);
    // "-- No entries --", "-- Boot ... --": journalctl's own words, not the journal; anything else is the kubelet's.
    if (!t) {
      if (line.trim() === '-- No entries --') this.noEntries = true;
      else if (line.trim() !== '' && !line.startsWith('-- ')) this.said.push(line.trim());
      return;
    }
    this.journalLines++;
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
