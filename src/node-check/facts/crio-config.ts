// When the registries files last changed against when CRI-O last loaded them (its start, or its
// reload: the MCO reloads CRI-O for a registries change, pkg/daemon/update.go): files changed
// after are files CRI-O does not pull by yet.
import { CrioJournalReader } from '../../pull-log/crio-journal.js';
import type { NodeFact } from '../fact.js';
import SCRIPT from './crio-config.sh';

export interface CrioConfigSeen {
  /** The latest modification time of registries.conf and its drop-ins, epoch seconds. */
  configMtime: number | null;
  /** When CRI-O last started or reloaded its registry configuration (its journal's time). */
  loadedAt: string | null;
}

export interface CrioConfig {
  loadedAt: string;
  fileChangedAt: string;
  /** The files changed after CRI-O last loaded them. */
  stale: boolean;
}

export type CrioConfigWarning = { code: 'crio-config-stale'; node: string; loadedAt: string; fileChangedAt: string };

export const crioConfig: NodeFact<'crioConfig', CrioConfigSeen, CrioConfig | null, CrioConfigWarning> = {
  key: 'crioConfig',
  stage: 'prelude',
  script: SCRIPT,
  marks: ['config-mtime', 'crio-events-end'],
  sections: ['crio-events'],
  reader() {
    let configMtime: number | null = null;
    const events = new CrioJournalReader();
    return {
      mark(word, [mtime]) {
        if (word === 'config-mtime') configMtime = mtime ? Number.parseInt(mtime, 10) : null;
      },
      line: (_section, text) => events.feed(text),
      result() {
        const loads = events.result().events.filter((e) => e.kind === 'start' || e.kind === 'reload');
        return { configMtime, loadedAt: loads.at(-1)?.at ?? null };
      },
    };
  },
  result({ configMtime, loadedAt }) {
    if (configMtime === null || loadedAt === null) return null;
    const loaded = Date.parse(loadedAt.replace(' ', 'T'));
    if (Number.isNaN(loaded)) return null;
    const changed = configMtime * 1000;
    return { loadedAt: new Date(loaded).toISOString(), fileChangedAt: new Date(changed).toISOString(), stale: changed > loaded };
  },
  warnings: (config, { node }) => (config?.stale ? [{ code: 'crio-config-stale', node, loadedAt: config.loadedAt, fileChangedAt: config.fileChangedAt }] : []),
};
