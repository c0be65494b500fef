// What a node's pulls depend on besides the network (one digest over its files), and what its
// network says to each host the images need. Asked for only when many images' verdicts are
// composed (app/compose.ts): nodes alike in both get the verdicts of the one that read them.
import { classifyFailure, type FailureReason } from '../../pull-log/classify.js';
import type { NodeFact } from '../fact.js';
import SCRIPT from './fingerprint.sh';

/** reached: the registry answered (any status); otherwise what stopped the request. */
export type Reach = 'reached' | FailureReason;

export interface Fingerprint {
  digest: string;
  /** Each host asked about, as the node's network, proxy and trust answer it. */
  reach: Record<string, Reach>;
}

// The registry's own answers to a repository it does not have: it was reached.
const ANSWERED: readonly Reach[] = ['manifest-unknown', 'unauthorized'];

// The probe's rule of its own is not the node's (it cannot say `insecure`): a registry that
// answers in plain HTTP (Go's net/http text) was reached all the same.
const PLAIN_HTTP = 'server gave HTTP response to HTTPS client';

/** What skopeo's last words say of the request: reached when the registry answered. */
export function reachOf(exitCode: number, lastLine: string): Reach {
  if (exitCode === 0 || lastLine.includes(PLAIN_HTTP)) return 'reached';
  const reason = classifyFailure(lastLine);
  return ANSWERED.includes(reason) ? 'reached' : reason;
}

export const fingerprint: NodeFact<'fingerprint', Fingerprint | null, Fingerprint | null> = {
  key: 'fingerprint',
  stage: 'epilogue',
  script: SCRIPT,
  marks: ['fingerprint', 'reach'],
  sections: ['reach-said'],
  reader() {
    let digest: string | null = null;
    const reach: Record<string, Reach> = {};
    const said = new Map<string, string>();
    let host = '';
    return {
      open(_section, [name]) {
        host = name ?? '';
      },
      line(_section, text) {
        if (text.trim()) said.set(host, text);
      },
      mark(word, [first, exit]) {
        if (word === 'fingerprint') digest = first ?? null;
        else if (first) reach[first] = reachOf(Number(exit), said.get(first) ?? '');
      },
      result: () => (digest ? { digest, reach: { ...reach } } : null),
    };
  },
  result: (seen) => seen,
};
