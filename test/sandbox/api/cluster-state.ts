// What the sandbox's processes share through its folder: the settings it was made with, and each
// node's behaviour, which a test may change while the sandbox runs (a node that turns bad mid-run).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type NodeBehaviour = 'normal' | 'not-ready' | 'pod-fails' | 'hang' | 'slow-stop' | 'refused' | 'deleted';

export interface Settings {
  /** OpenShift release the API plays (which APIs it serves, which Kubernetes version it reports). */
  openshift: string;
  /** How long a pod takes from creation to running. */
  podLatencyMs: number;
  /** The fan-out bench: pods replay a recorded node log instead of running anything. */
  light?: { log: string };
  /** How long the kubelet lets journalctl run (30 s on a real kubelet), and how fast it reads. */
  journalDeadlineMs: number;
  journalLinesPerSecond?: number;
}

export const DEFAULT_SETTINGS: Settings = { openshift: '4.18', podLatencyMs: 300, journalDeadlineMs: 30_000 };

export class ClusterState {
  readonly settings: Settings;

  constructor(readonly dir: string) {
    const path = join(dir, 'settings.json');
    this.settings = { ...DEFAULT_SETTINGS, ...(existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}) };
  }

  nodeDir(node: string): string {
    return join(this.dir, 'nodes', node);
  }

  private readonly behaviours = new Map<string, { readAt: number; behaviour: NodeBehaviour }>();

  /**
   * Read again at most every 100 ms: the controllers ask about every node several times a second,
   * and reading 500 nodes' files each time took half the API server's time in the fan-out bench.
   */
  behaviour(node: string): NodeBehaviour {
    const now = Date.now();
    const known = this.behaviours.get(node);
    if (known && now - known.readAt < 100) return known.behaviour;
    const path = join(this.nodeDir(node), 'behaviour.json');
    const behaviour: NodeBehaviour = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).behaviour : 'normal';
    this.behaviours.set(node, { readAt: now, behaviour });
    return behaviour;
  }

  /** A fault a test switches on by writing a file in the sandbox folder. */
  flag(name: string): boolean {
    return existsSync(join(this.dir, name));
  }

  /** A counted fault: true (and one fewer left) while the count in the file is above zero. */
  takeCounted(name: string): boolean {
    const path = join(this.dir, name);
    if (!existsSync(path)) return false;
    const left = Number(readFileSync(path, 'utf8'));
    if (!(left > 0)) return false;
    writeFileSync(path, String(left - 1));
    return true;
  }

  /** A named fault, taken once: the file's content, then the file is gone. */
  takeNamed(name: string): string | null {
    const path = join(this.dir, name);
    if (!existsSync(path)) return null;
    const value = readFileSync(path, 'utf8').trim();
    rmSync(path, { force: true });
    return value || null;
  }
}
