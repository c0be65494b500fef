// The node script's output is a sequence of sections introduced by marker lines, so one pod
// can report several things (each image's pull, the proxy, credentials, the node's
// registries.conf) in one stream. node-script.ts writes them.
import { type CrioPull, CrioJournalReader } from './crio-journal.js';
import { type PullLog, PullLogReader } from './pull-log.js';
import { readLogLine } from './logrus.js';

export const MARKER = '::oc-icsp::';

/** Every marker word the node script writes; test/pull-log holds NODE_SCRIPT to this list. */
export const MARKS = ['section', 'image', 'image-present', 'pull-exit', 'crictl-exit', 'crio-journal-end', 'crio-events-end', 'config-mtime', 'proxy', 'disk', 'low-disk', 'credentials', 'end'] as const;
/** Read in logs that older scripts wrote (before the throwaway store), never written now. */
export const LEGACY_MARKS = ['removed'] as const;
type Mark = (typeof MARKS)[number] | (typeof LEGACY_MARKS)[number];
/** The sections the script opens with `section NAME`. */
export const SECTIONS = ['node', 'crio-events', 'crictl', 'crio-journal', 'pull', 'file'] as const;
type Section = (typeof SECTIONS)[number];

export interface ImagePull {
  /** null in logs written before the script named its images (one image per run). */
  image: string | null;
  presentBefore: boolean | null;
  exitCode: number | null;
  removed: 'yes' | 'failed' | null;
  log: PullLog;
}

/** One image pulled through CRI-O (crictl): its exit, its error, and what the journal says it did. */
export interface CrioImagePull {
  image: string;
  exitCode: number | null;
  /** crictl's error text (CRI-O's, with Mirrors also failed). */
  error: string | null;
  journal: CrioPull | null;
}

export interface NodeReport {
  podman: string | null;
  pulls: ImagePull[];
  crio: CrioImagePull[];
  /** When CRI-O last started or reloaded its registry configuration (its journal's time), if known. */
  crioLoadedAt: string | null;
  /** The latest modification time of registries.conf and its drop-ins, epoch seconds. */
  configMtime: number | null;
  /** The node's /etc/mco/proxy.env, with any password in a proxy URL replaced; null without it. */
  proxy: Record<string, string> | null;
  /** Whether the node pull secret holds credentials for each mirror repository asked about. */
  credentials: Record<string, boolean>;
  /** registries.conf and its drop-ins as read on the node, by path. */
  registriesConf: { path: string; text: string }[];
  /** The last lines that were not part of a section, to explain a failure. */
  strayTail: string[];
  /** Free and total space where a pull would write, in KiB; `low` when it read the manifest instead. */
  disk: { availableKb: number; totalKb: number; low: boolean } | null;
  /** The script reached its end marker: nothing more will come. */
  complete: boolean;
}

// A node's registries.conf is small; this only guards memory against a runaway file.
const MAX_SECTION_TEXT = 1 << 20;
const STRAY_TAIL = 5;

interface PullInProgress {
  image: string | null;
  presentBefore: boolean | null;
  exitCode: number | null;
  removed: 'yes' | 'failed' | null;
  reader: PullLogReader;
}

export class NodeOutputReader {
  private section: Section | null = null;
  private podman: string | null = null;
  private pulls: PullInProgress[] = [];
  private proxy: Record<string, string> | null = null;
  private credentials: Record<string, boolean> = {};
  private files: { path: string; text: string }[] = [];
  private strayTail: string[] = [];
  private disk: NodeReport['disk'] = null;
  private complete = false;
  private crio: { image: string; exitCode: number | null; error: string | null; journal: CrioJournalReader }[] = [];
  private events = new CrioJournalReader();
  private configMtime: number | null = null;
  private image: string | null = null;

  feed(line: string): void {
    if (line.startsWith(MARKER)) {
      this.marker(line.slice(MARKER.length).trim());
      return;
    }
    switch (this.section) {
      case 'pull':
        this.current().reader.feed(line);
        return;
      case 'node':
        this.podman ??= /version (\S+)/.exec(line)?.[1] ?? null;
        return;
      case 'crio-events':
        this.events.feed(line);
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
      case 'file': {
        const file = this.files.at(-1)!;
        if (file.text.length < MAX_SECTION_TEXT) file.text += `${line}\n`;
        return;
      }
      default:
        if (line.trim() === '') return;
        this.strayTail.push(line);
        if (this.strayTail.length > STRAY_TAIL) this.strayTail.shift();
    }
  }

  result(): NodeReport {
    const loads = this.events.result().events.filter((e) => e.kind === 'start' || e.kind === 'reload');
    return {
      podman: this.podman,
      crio: this.crio.map((c) => ({ image: c.image, exitCode: c.exitCode, error: c.error, journal: c.journal.result().pulls.findLast((p) => p.image === c.image) ?? null })),
      crioLoadedAt: loads.at(-1)?.at ?? null,
      configMtime: this.configMtime,
      pulls: this.pulls.map((p) => ({ image: p.image, presentBefore: p.presentBefore, exitCode: p.exitCode, removed: p.removed, log: p.reader.result(p.exitCode) })),
      proxy: this.proxy ? { ...this.proxy } : null,
      credentials: { ...this.credentials },
      registriesConf: this.files.map((f) => ({ ...f })),
      strayTail: [...this.strayTail],
      disk: this.disk ? { ...this.disk } : null,
      complete: this.complete,
    };
  }

  /** The pull being reported; logs from before images were named start one on first mention. */
  private current(): PullInProgress {
    if (this.pulls.length === 0) this.pulls.push({ image: null, presentBefore: null, exitCode: null, removed: null, reader: new PullLogReader() });
    return this.pulls.at(-1)!;
  }

  private marker(text: string): void {
    const [word = '', ...rest] = text.split(' ');
    const arg = rest.join(' ');
    switch (word as Mark) {
      case 'section':
        this.section = SECTIONS.find((s) => s === rest[0]) ?? null;
        if (this.section === 'file') this.files.push({ path: rest.slice(1).join(' '), text: '' });
        if (this.section === 'crictl') this.crio.push({ image: this.image ?? '', exitCode: null, error: null, journal: new CrioJournalReader() });
        if (this.section === 'pull' && this.image !== null && this.pulls.at(-1)?.image !== this.image) {
          this.pulls.push({ image: this.image, presentBefore: null, exitCode: null, removed: null, reader: new PullLogReader() });
        }
        return;
      case 'image':
        this.image = arg;
        return;
      case 'crictl-exit':
        this.crio.at(-1)!.exitCode = Number.parseInt(arg, 10);
        this.section = null;
        return;
      case 'crio-journal-end':
      case 'crio-events-end':
        this.section = null;
        return;
      case 'config-mtime':
        this.configMtime = arg ? Number.parseInt(arg, 10) : null;
        return;
      case 'image-present':
        if (this.image !== null && this.pulls.at(-1)?.image !== this.image) this.pulls.push({ image: this.image, presentBefore: null, exitCode: null, removed: null, reader: new PullLogReader() });
        this.current().presentBefore = arg === 'yes';
        return;
      case 'pull-exit':
        this.current().exitCode = Number.parseInt(arg, 10);
        this.section = null;
        return;
      case 'removed':
        this.current().removed = arg === 'yes' ? 'yes' : 'failed';
        return;
      case 'proxy':
        this.proxy ??= {};
        if (rest[0]) this.proxy[rest[0]] = rest.slice(1).join(' ');
        return;
      case 'disk':
        this.disk = { availableKb: Number(rest[0]), totalKb: Number(rest[1]), low: false };
        return;
      case 'low-disk':
        if (this.disk) this.disk.low = true;
        return;
      case 'credentials':
        if (rest[0]) this.credentials[rest[0]] = rest[1] === 'yes';
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

/** The report of one image's pull: the one named so, or the only one of an older log. */
export function pullOf(report: NodeReport, image: string): ImagePull | null {
  return report.pulls.find((p) => p.image === image) ?? report.pulls.find((p) => p.image === null) ?? null;
}
