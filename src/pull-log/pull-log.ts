// Reads `podman pull --log-level=debug` output one line at a time, keeping only what the
// verdict needs, so a node's log never has to be held in memory.
// Anchors: containers/image docker/docker_image_src.go newImageSource ("Trying to access %q",
// "Accessing %q failed: %v"); containers/common libimage/pull.go; pkg/retry/retry.go.
import { classifyFailure, type FailureReason } from './classify.js';
import { readLogLine } from './logrus.js';

export interface Attempt {
  reference: string;
  ok: boolean;
  reason: FailureReason | null;
  message: string | null;
}

/** containers/image looked for a sigstore attachment (docker/docker_image_src.go getSigstoreAttachmentManifest). */
export interface SignatureLookup {
  /** The repository it looked in: the endpoint that served the manifest. */
  endpoint: string;
  /** The attachment's tag, `sha256-<hex>.sig`. */
  tag: string;
  /** It was there (null: the log ends before it says). */
  found: boolean | null;
}

export interface PullLog {
  attempts: Attempt[];
  /** Sigstore attachments looked for, in order (only where the node's policy needs signatures; absent where the log cannot say, as CRI-O's at info). */
  signatureLookups?: SignatureLookup[];
  /** Rounds repeated by c/common's retry after a retryable failure. */
  pulled: boolean;
  /** podman's final `Error: …` line, if any. */
  error: string | null;
  registriesFiles: string[];
}

/** containers/image's words for one source tried, and for its failure: podman and CRI-O log the same. */
export const TRYING = /^Trying to access "(.*)"$/;
export const FAILED = /^Accessing "(.*?)" failed: ([\s\S]*)$/;
const PULLED = /^Pulled candidate \S+ successfully$/;
const RETRY = /^Failed, retrying in /;
const LOADING = /^Loading registries configuration "(.*)"$/;
const LOOKING = /^Looking for sigstore attachments in (.+):(sha256-[0-9a-f]+\.sig)$/;
const FOUND = /^Found a sigstore attachment manifest with \d+ layers$/;
const NOT_FOUND = /^Fetching sigstore attachment manifest failed, assuming it does not exist:/;

export class PullLogReader {
  private attempts: Attempt[] = [];
  private pulled = false;
  private error: string | null = null;
  private lastPlainLine: string | null = null;
  private registriesFiles: string[] = [];
  private lookups: SignatureLookup[] = [];

  feed(rawLine: string): void {
    const { level, message } = readLogLine(rawLine);
    if (level === undefined) {
      if (message.startsWith('Error: ')) this.error = message.slice('Error: '.length);
      else if (message.trim() !== '') this.lastPlainLine = message.trim();
      return;
    }
    let match: RegExpExecArray | null;
    if (level === 'fatal') {
      // skopeo ends with its error as a logrus fatal line, where podman prints `Error: …`.
      this.error = message;
    } else if ((match = TRYING.exec(message))) {
      this.attempts.push({ reference: match[1]!, ok: false, reason: null, message: null });
    } else if ((match = FAILED.exec(message))) {
      const attempt = this.lastAttemptFor(match[1]!);
      if (attempt) {
        attempt.message = match[2]!;
        attempt.reason = classifyFailure(match[2]!);
      }
    } else if (PULLED.test(message)) {
      this.pulled = true;
    } else if (RETRY.test(message) && level === 'warning') {
      // The whole mirror sequence runs again; only the last round decides.
      this.attempts = [];
      this.lookups = [];
    } else if ((match = LOOKING.exec(message))) {
      this.lookups.push({ endpoint: match[1]!, tag: match[2]!, found: null });
    } else if (FOUND.test(message) || NOT_FOUND.test(message)) {
      const lookup = this.lookups.at(-1);
      if (lookup) lookup.found = FOUND.test(message);
    } else if ((match = LOADING.exec(message)) && !this.registriesFiles.includes(match[1]!)) {
      this.registriesFiles.push(match[1]!);
    }
  }

  result(exitCode: number | null): PullLog {
    const pulled = this.pulled || exitCode === 0;
    const attempts = this.attempts.map((a) => ({ ...a }));
    const last = attempts.at(-1);
    if (last && last.message === null) {
      if (pulled) last.ok = true;
      else if (this.error) {
        // The source was chosen but the copy failed later (blobs, signatures, storage).
        last.message = this.error;
        last.reason = classifyFailure(this.error);
      }
    }
    // Without podman's own `Error:` line (podman missing, killed, ...), its last words are the error.
    const error = this.error ?? (pulled || attempts.length > 0 ? null : this.lastPlainLine);
    return { attempts, signatureLookups: this.lookups.map((l) => ({ ...l })), pulled, error, registriesFiles: [...this.registriesFiles] };
  }

  private lastAttemptFor(reference: string): Attempt | undefined {
    for (let i = this.attempts.length - 1; i >= 0; i--) if (this.attempts[i]!.reference === reference) return this.attempts[i];
    return undefined;
  }
}

/** Convenience for whole logs already in memory (tests, saved logs). */
export function readPullLog(text: string, exitCode: number | null): PullLog {
  const reader = new PullLogReader();
  for (const line of text.split('\n')) reader.feed(line);
  return reader.result(exitCode);
}
