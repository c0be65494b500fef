// The configuration the probe used: the node's own (null), or the registries.conf a proposed
// change makes (app/proposal.ts), given to podman and skopeo through their own overrides in the
// run's directory; `unwritable` where that directory could not be made (the check then reads
// the node's own files, and the verdict must not be taken for the proposal's).
import type { NodeFact } from '../fact.js';
import SCRIPT from './probe-config.sh';

export type ProbeConfig = { kind: 'proposed'; digest: string } | { kind: 'unwritable' } | null;

export const probeConfig: NodeFact<'probeConfig', ProbeConfig, ProbeConfig> = {
  key: 'probeConfig',
  stage: 'prelude',
  script: SCRIPT,
  marks: ['probe-config'],
  sections: [],
  reader() {
    let seen: ProbeConfig = null;
    return {
      mark(_word, [kind, digest]) {
        seen = kind === 'proposed' ? { kind, digest: digest ?? '' } : { kind: 'unwritable' };
      },
      line() {},
      result: () => seen,
    };
  },
  result: (seen) => seen,
};
