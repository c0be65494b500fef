// Free space where a pull would write: below 5 GiB or 20 % free the pulls read the manifest
// instead (pulls.sh), so the probe never pushes a node toward eviction (the kubelet evicts at
// 15 % free on imagefs and 10 % on nodefs by default, pkg/kubelet/eviction/defaults_linux.go).
import type { NodeFact } from '../fact.js';
import SCRIPT from './disk.sh';

export interface Disk {
  availableKb: number;
  totalKb: number;
  /** The manifest was read instead of pulling. */
  low: boolean;
}

/** Too little free space to pull (KiB). */
export interface LowDisk {
  availableKb: number;
  totalKb: number;
}

export type DiskWarning = { code: 'low-disk'; node: string } & LowDisk;

export const disk: NodeFact<'lowDisk', Disk | null, LowDisk | null, DiskWarning> = {
  key: 'lowDisk',
  stage: 'prelude',
  script: SCRIPT,
  marks: ['disk', 'low-disk'],
  sections: [],
  reader() {
    let seen: Disk | null = null;
    return {
      mark(word, [available, total]) {
        if (word === 'disk') seen = { availableKb: Number(available), totalKb: Number(total), low: false };
        else if (seen) seen.low = true;
      },
      line() {},
      result: () => (seen ? { ...seen } : null),
    };
  },
  result: (seen) => (seen?.low ? { availableKb: seen.availableKb, totalKb: seen.totalKb } : null),
  warnings: (low, { node }) => (low ? [{ code: 'low-disk', node, ...low }] : []),
};
