// The node script's output is a sequence of sections introduced by marker lines, so one
// debug pod can report several things (the pull, the node's registries.conf, ...) in one stream.
import { type PullLog, PullLogReader } from './pull-log.js';

export const MARKER = '::oc-icsp::';

export interface NodeReport {
  podman: string | null;
  imagePresentBefore: boolean | null;
  pullExitCode: number | null;
  removed: 'yes' | 'failed' | null;
  pull: PullLog;
  /** registries.conf and its drop-ins as read on the node, by path. */
  registriesConf: { path: string; text: string }[];
  /** The last lines that were not part of a section, to explain a failure. */
  strayTail: string[];
}

// A node's registries.conf is small; this only guards memory against a runaway file.
const MAX_SECTION_TEXT = 1 << 20;
const STRAY_TAIL = 5;

export class NodeOutputReader {
  private section: string | null = null;
  private readonly pull = new PullLogReader();
  private podman: string | null = null;
  private imagePresentBefore: boolean | null = null;
  private pullExitCode: number | null = null;
  private removed: NodeReport['removed'] = null;
  private files: { path: string; text: string }[] = [];
  private strayTail: string[] = [];

  feed(line: string): void {
    if (line.startsWith(MARKER)) {
      this.marker(line.slice(MARKER.length).trim());
      return;
    }
    switch (this.section) {
      case 'pull':
        this.pull.feed(line);
        return;
      case 'node':
        this.podman ??= /version (\S+)/.exec(line)?.[1] ?? null;
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
    return {
      podman: this.podman,
      imagePresentBefore: this.imagePresentBefore,
      pullExitCode: this.pullExitCode,
      removed: this.removed,
      pull: this.pull.result(this.pullExitCode),
      registriesConf: this.files.map((f) => ({ ...f })),
      strayTail: [...this.strayTail],
    };
  }

  private marker(text: string): void {
    const [word = '', ...rest] = text.split(' ');
    const arg = rest.join(' ');
    switch (word) {
      case 'section':
        this.section = rest[0] ?? null;
        if (this.section === 'file') this.files.push({ path: rest.slice(1).join(' '), text: '' });
        return;
      case 'image-present':
        this.imagePresentBefore = arg === 'yes';
        return;
      case 'pull-exit':
        this.pullExitCode = Number.parseInt(arg, 10);
        this.section = null;
        return;
      case 'removed':
        this.removed = arg === 'yes' ? 'yes' : 'failed';
        return;
      case 'end':
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
