// Whether the node pull secret (/var/lib/kubelet/config.json, CRI-O's global_auth_file) holds
// credentials for each mirror repository asked about: yes or no, never a secret. A 401's advice
// depends on it (pull-log/verdict.ts).
import type { NodeFact } from '../fact.js';
import SCRIPT from './credentials.sh';

export type Credentials = Record<string, boolean>;

export const credentials: NodeFact<'credentials', Credentials, Credentials> = {
  key: 'credentials',
  fromFiles: true,
  stage: 'epilogue',
  script: SCRIPT,
  marks: ['credentials'],
  sections: [],
  reader() {
    const held: Credentials = {};
    return {
      mark(_word, [repository, answer]) {
        if (repository) held[repository] = answer === 'yes';
      },
      line() {},
      result: () => ({ ...held }),
    };
  },
  result: (held) => held,
};
