// What the sandbox's processes share through its folder: the settings it was made with, and each
// node's behaviour, which a test may change while the sandbox runs (a node that turns bad mid-run).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_SETTINGS, type FaultKind, type NodeBehaviour, type Settings } from '../model.js';

export type { NodeBehaviour, Settings };
export { DEFAULT_SETTINGS };

/** Where a fault and a node's behaviour travel: files in the sandbox's folder (sandbox.ts writes them). */
export const faultFile = (dir: string, kind: FaultKind): string => join(dir, kind);
export const behaviourFile = (nodeDir: string): string => join(nodeDir, 'behaviour.json');

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
    const path = behaviourFile(this.nodeDir(node));
    const behaviour: NodeBehaviour = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).behaviour : 'normal';
    this.behaviours.set(node, { readAt: now, behaviour });
    return behaviour;
  }

  /** A fault a test switched on (model.ts Fault). */
  flag(kind: 'logged-out'): boolean {
    return existsSync(faultFile(this.dir, kind));
  }

  /** A counted fault: true (and one fewer left) while its count is above zero. */
  takeCounted(kind: 'namespace-collisions'): boolean {
    const path = faultFile(this.dir, kind);
    if (!existsSync(path)) return false;
    const left = Number(readFileSync(path, 'utf8'));
    if (!(left > 0)) return false;
    writeFileSync(path, String(left - 1));
    return true;
  }

  /** The 4.14+ kubelet's check that crio logs to the journal fails on this node (Fault journal-check-fails). */
  journalCheckFails(node: string): boolean {
    const path = faultFile(this.dir, 'journal-check-fails');
    return existsSync(path) && readFileSync(path, 'utf8').split('\n').includes(node);
  }

  /** A fault that names a node, taken once: its node, then the fault is gone. */
  takeNamed(kind: 'delete-node-after-list'): string | null {
    const path = faultFile(this.dir, kind);
    if (!existsSync(path)) return null;
    const value = readFileSync(path, 'utf8').trim();
    rmSync(path, { force: true });
    return value || null;
  }
}
