// The node's podman version (`podman version 4.4.1`): its debug log's words depend on it.
import type { NodeFact } from '../fact.js';
import SCRIPT from './podman.sh';

export const podman: NodeFact<'podman', string | null, string | null> = {
  key: 'podman',
  stage: 'prelude',
  script: SCRIPT,
  marks: [],
  sections: ['node'],
  reader() {
    let version: string | null = null;
    return {
      mark() {},
      line(_section, text) {
        version ??= /version (\S+)/.exec(text)?.[1] ?? null;
      },
      result: () => version,
    };
  },
  result: (version) => version,
};
