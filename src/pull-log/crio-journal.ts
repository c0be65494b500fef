// CRI-O's journal, as `oc adm node-logs NODE -u crio` prints it (journalctl's short form, then
// CRI-O's logrus text), read line by line into pulls. Line formats, from the sources:
//   cri-o server/image_pull.go   Pulling image: %s (info, id=), Pulled image: %v (info, id=),
//                                Error pulling image %s: %v (debug, id=)
//   containers/image docker/docker_image_src.go
//                                Trying to access %q (info under CRI-O, no id),
//                                Accessing %q failed: %v (debug, no id)
//   cri-o config reload          Applied new registry configuration: %+v, system registries reload failed
//   cri-o version                Starting CRI-O, version: %s, git: %v(%s)
// Pulls on one node overlap (the kubelet pulls in parallel, serializeImagePulls: false), and the
// attempt lines carry no id: an attempt goes to the open pull of the same image (same digest or
// tag) whose repository shares the longest path tail with it (a mirror keeps the path below the
// rewritten prefix), then to the latest such pull.
// CRI-O logs `Pulling image` for every request, then merges a request for an image already being
// pulled into that pull (server/image_pull.go, pullOperationsInProgress, release-1.25 to 1.31):
// the joined request has no attempts of its own, and gets its own `Pulled image` line by its id.
// CRI-O 1.25 to 1.30 open the image source twice for one pull (internal/storage/image.go
// PrepareImage, then the copy; cri-o/cri-o#5039, gone in 1.31 with #8212), so one pull's
// attempts come twice, in order. A pass over the sources beyond those is a new pull of the same
// image: the earlier one ended without success (at info level a failure leaves no line).
// From CRI-O 1.33 an image pull can also be an OCI-artifact pull (internal/storage/image.go at
// each tag): 1.33.0 to 1.33.3 probe for an artifact first, then pull the image (two passes, the
// artifact probe's error wrapped as `unable to try pulling possible OCI artifact: %w`); 1.33.4 to
// 1.35.0 pull the image and, when that fails, try it as an artifact (a second pass, the error
// `unable to pull image or OCI artifact: pull image err: %w; artifact err: %w`); from 1.35.1 the
// fallback says so at info, with the image pull's error (`Falling back to pull %s as an OCI
// artifact: %v`, with id=), and is skipped for network errors. The image pull's pass is the one
// read; the wrappers are taken off the error before it is classified.
import { classifyFailure, type FailureReason } from './classify.js';
import { readLogLine } from './logrus.js';
import { FAILED, TRYING } from './pull-log.js';

export interface CrioAttempt {
  reference: string;
  at: string;
  /** Known only from a debug journal (Accessing … failed) or from the pull's error text. */
  reason: FailureReason | null;
  message: string | null;
}

export interface CrioPull {
  host: string;
  /** The image as the kubelet asked for it. */
  image: string;
  id: string | null;
  at: string;
  attempts: CrioAttempt[];
  /**
   * succeeded: Pulled image; failed: an error line, or the image pulled again after it; open:
   * neither, by the end of the journal read (no result: a failure at info level says nothing).
   */
  outcome: 'succeeded' | 'failed' | 'open';
  /** A request CRI-O merged into another pull of the same image: that pull's attempts are its own. */
  joined?: boolean;
  /** The source repository CRI-O names in Pulled image, with the digest. */
  pulledRef: string | null;
  error: string | null;
}

export interface CrioEvent {
  host: string;
  at: string;
  kind: 'start' | 'reload' | 'reload-failed';
  message: string;
}

export interface CrioJournal {
  pulls: CrioPull[];
  events: CrioEvent[];
}

// `Nov 28 00:09:05 host crio[1484]: …` or with microseconds (`-o short-precise`), as journalctl writes it.
const JOURNAL = /^(\w{3} +\d+ \d\d:\d\d:\d\d(?:\.\d+)?) (\S+) crio\[\d+\]: (.*)$/;
const PULLING = /^Pulling image: (.+)$/;
const PULLED = /^Pulled image: (.+)$/;
const ERROR = /^Error pulling image (\S+): ([\s\S]*)$/;
const FALLING_BACK = /^Falling back to pull (\S+) as an OCI artifact: ([\s\S]*)$/;

/**
 * The image pull's own error inside CRI-O 1.33+'s OCI-artifact wrappers (a SignatureValidationFailed
 * class before them is kept: server/image_pull.go wraps the whole error).
 */
export function imagePullError(error: string): string {
  const signature = error.startsWith('SignatureValidationFailed: ') ? 'SignatureValidationFailed: ' : '';
  const rest = error.slice(signature.length);
  const both = /^unable to pull image or OCI artifact: pull image err: ([\s\S]*); artifact err: [\s\S]*$/.exec(rest);
  return signature + (both ? both[1]! : rest.replace(/^unable to try pulling possible OCI artifact: /, ''));
}

/**
 * How many passes over the sources one pull makes: two on CRI-O 1.25 to 1.30 (the source opened
 * twice) and 1.33.0 to 1.33.3 (the artifact probe, then the image), one from 1.31 (a failed pull
 * of 1.33.4 and later adds its artifact pass, read as such).
 */
export function passesPerPull(version: string | null): number {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '');
  if (!m) return 2;
  const minor = Number(m[2]);
  const patch = Number(m[3] ?? 0);
  if (Number(m[1]) !== 1) return 1;
  return (minor >= 25 && minor <= 30) || (minor === 33 && patch <= 3) ? 2 : 1;
}

export class CrioJournalReader {
  private readonly pulls: CrioPull[] = [];
  private readonly events: CrioEvent[] = [];
  /** Per pull: the requests CRI-O merged into it, and how many passes over the sources it made. */
  private readonly joins = new Map<CrioPull, CrioPull[]>();
  private readonly passes = new Map<CrioPull, number>();
  private crioVersion: string | null = null;
  /** Pulls whose image pull failed and that went on as an OCI artifact (CRI-O 1.35.1+ says so). */
  private readonly fellBack = new Set<CrioPull>();

  feed(line: string): void {
    const journal = JOURNAL.exec(line);
    if (!journal) return;
    const [, stamp, host] = journal as unknown as [string, string, string, string];
    const { level, message, time, fields } = readLogLine(journal[3]!);
    if (level === undefined) return;
    const at = time ?? stamp;
    const id = fields?.id ?? null;
    let m: RegExpExecArray | null;
    if ((m = PULLING.exec(message))) {
      const request: CrioPull = { host, image: m[1]!, id, at, attempts: [], outcome: 'open', pulledRef: null, error: null };
      const inFlight = this.primaries(host).find((p) => p.image === m![1]);
      if (inFlight) {
        request.joined = true;
        this.joins.get(inFlight)!.push(request);
      } else {
        this.joins.set(request, []);
        this.passes.set(request, 0);
      }
      this.pulls.push(request);
    } else if ((m = PULLED.exec(message))) {
      const pull = this.byId(host, id) ?? this.bestFor(host, m[1]!);
      if (pull) Object.assign(pull, { outcome: 'succeeded', pulledRef: m[1]! });
    } else if ((m = ERROR.exec(message))) {
      const pull = this.byId(host, id) ?? this.bestFor(host, m[1]!);
      if (pull) this.fail(pull, m[2]!);
    } else if ((m = FALLING_BACK.exec(message))) {
      // The image pull failed with this error; the artifact pull that follows rarely serves.
      const pull = this.byId(host, id) ?? this.bestFor(host, m[1]!);
      if (pull) {
        pull.error = m[2]!;
        applyPullError(pull.attempts, imagePullError(m[2]!));
        this.passes.set(pull, Math.max(this.passes.get(pull) ?? 1, passesPerPull(this.crioVersion)));
        this.fellBack.add(pull);
      }
    } else if ((m = TRYING.exec(message))) {
      this.attempt(host, m[1]!, at);
    } else if ((m = FAILED.exec(message))) {
      const pull = this.open(host).findLast((p) => p.attempts.some((a) => a.reference === m![1]));
      const attempt = pull?.attempts.findLast((a) => a.reference === m![1]);
      if (attempt) Object.assign(attempt, { message: m[2]!, reason: classifyFailure(m[2]!) });
    } else if (/^Starting CRI-O, version: /.test(message)) {
      this.crioVersion = /version: (\S+?),/.exec(message)?.[1] ?? null;
      this.events.push({ host, at, kind: 'start', message });
    } else if (/^applied new registry configuration/i.test(message)) {
      this.events.push({ host, at, kind: 'reload', message });
    } else if (/system registries reload failed/.test(message)) {
      this.events.push({ host, at, kind: 'reload-failed', message });
    }
  }

  /** An attempt: to its pull, unless it starts a pass one pull does not make (a new pull of the image). */
  private attempt(host: string, reference: string, at: string): void {
    let pull = this.bestFor(host, reference);
    if (!pull) return;
    const first = pull.attempts[0]?.reference;
    // After a fall back, the artifact pull goes over the sources again: not a new pull.
    if (this.fellBack.has(pull) && first === reference) {
      this.passes.set(pull, (this.passes.get(pull) ?? 1) + 1);
      return;
    }
    if (first === reference) {
      const passes = (this.passes.get(pull) ?? 1) + 1;
      const retry = this.joins.get(pull)?.at(-1);
      if (passes > passesPerPull(this.crioVersion) && retry && retry.outcome === 'open') {
        // The latest request for the image is a new pull; the one before it ended without success.
        this.fail(pull, 'pulled again: the earlier pull had ended without success');
        const joined = this.joins.get(pull)!;
        joined.pop();
        for (const j of joined) if (j.outcome === 'open') this.fail(j, 'pulled again: the earlier pull had ended without success');
        retry.joined = false;
        this.joins.set(retry, []);
        this.passes.set(retry, 1);
        pull = retry;
      } else {
        this.passes.set(pull, passes);
      }
    } else if (pull.attempts.length === 0) {
      this.passes.set(pull, 1);
    }
    // A second pass (CRI-O 1.25 to 1.30) repeats the first: its attempts are not new ones.
    if ((this.passes.get(pull) ?? 1) > 1) return;
    pull.attempts.push({ reference, at, reason: null, message: null });
  }

  result(): CrioJournal {
    const copy = (p: CrioPull): CrioPull => ({ ...p, attempts: p.attempts.map((a) => ({ ...a })) });
    const primaryOf = new Map<CrioPull, CrioPull>();
    for (const [primary, joined] of this.joins) for (const j of joined) primaryOf.set(j, primary);
    return {
      pulls: this.pulls.map((p) => {
        const primary = primaryOf.get(p);
        // A fall back with no Pulled image after it: the artifact pull did not serve either.
        if (!primary && this.fellBack.has(p) && p.outcome === 'open') return { ...copy(p), outcome: 'failed' as const };
        if (!primary) return copy(p);
        // A merged request: the attempts are its pull's; so is the error, where it has none of its own.
        return { ...copy(p), attempts: primary.attempts.map((a) => ({ ...a })), ...(p.outcome === 'open' && primary.outcome === 'failed' ? { outcome: 'failed' as const, error: primary.error } : {}) };
      }),
      events: [...this.events],
    };
  }

  private open(host: string): CrioPull[] {
    return this.pulls.filter((p) => p.host === host && p.outcome === 'open');
  }

  /** Open pulls that are CRI-O's own pulls, not requests merged into one. */
  private primaries(host: string): CrioPull[] {
    return this.open(host).filter((p) => !p.joined);
  }

  private byId(host: string, id: string | null): CrioPull | undefined {
    return id ? this.pulls.findLast((p) => p.host === host && p.id === id && p.outcome === 'open') : undefined;
  }

  /** The open pull a reference most likely belongs to (same digest or tag, longest shared path tail, latest). */
  private bestFor(host: string, reference: string): CrioPull | undefined {
    const want = splitReference(reference);
    let best: { pull: CrioPull; score: number } | undefined;
    for (const pull of this.primaries(host)) {
      const have = splitReference(pull.image);
      if (want.suffix !== have.suffix) continue;
      const score = sharedTail(want.path, have.path);
      if (!best || score >= best.score) best = { pull, score };
    }
    return best?.pull;
  }

  private fail(pull: CrioPull, error: string): void {
    pull.outcome = 'failed';
    pull.error = error;
    applyPullError(pull.attempts, imagePullError(error));
  }
}

/** `(Mirrors also failed: [ref: err]\n[ref: err]): source: err` names each attempt's error. */
export function applyPullError(attempts: CrioAttempt[], error: string): void {
  for (const attempt of attempts) {
    if (attempt.message) continue;
    // A mirror's error follows `[ref: `, the source's `): ref: ` (or starts the text).
    const marks = [`[${attempt.reference}: `, `): ${attempt.reference}: `];
    const mark = marks.find((m) => error.includes(m)) ?? (error.startsWith(`${attempt.reference}: `) ? `${attempt.reference}: ` : null);
    if (!mark) continue;
    const rest = error.slice(error.indexOf(mark) + mark.length);
    const text = rest.split(/\]\n\[|\]\): |\n/)[0]!;
    Object.assign(attempt, { message: text, reason: classifyFailure(text) });
  }
  // Without mirrors the error is the one attempt's own.
  const unexplained = attempts.filter((a) => !a.message);
  if (unexplained.length === 1 && attempts.length === 1) Object.assign(unexplained[0]!, { message: error, reason: classifyFailure(error) });
}

/** The repository's path components (registry host dropped) and the `@digest` or `:tag` that ends it. */
function splitReference(reference: string): { path: string[]; suffix: string } {
  const digest = reference.indexOf('@');
  const name = digest === -1 ? reference : reference.slice(0, digest);
  let suffix = digest === -1 ? '' : reference.slice(digest);
  let repo = name;
  const tag = /:([\w][\w.-]*)$/.exec(name.slice(name.lastIndexOf('/')));
  if (tag && digest === -1) {
    suffix = `:${tag[1]}`;
    repo = name.slice(0, name.length - suffix.length);
  } else if (tag) {
    repo = name.slice(0, name.length - tag[0].length);
  }
  return { path: repo.split('/').slice(1), suffix };
}

function sharedTail(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * When journalctl says a line was written (its short-precise prefix, UTC, no year): the time and
 * its microseconds, in the year of `until` (or the one before, for a December line read in January).
 */
export function journalLineTime(line: string, until: Date): { at: Date; micros: number } | null {
  const m = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? /.exec(line);
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month === -1) return null;
  const year = until.getUTCFullYear() - (month > until.getUTCMonth() ? 1 : 0);
  const micros = Number((m[6] ?? '0').padEnd(6, '0'));
  const at = new Date(Date.UTC(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Math.floor(micros / 1000)));
  return { at, micros };
}

export function readCrioJournal(text: string): CrioJournal {
  const reader = new CrioJournalReader();
  for (const line of text.split('\n')) reader.feed(line);
  return reader.result();
}
