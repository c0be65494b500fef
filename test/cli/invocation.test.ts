import { describe, expect, it } from 'vitest';
import { invocationFrom } from '../../src/cli/invocation.js';

describe('how we were started', () => {
  const cases: [string, (string | undefined)[], ReturnType<typeof invocationFrom>][] = [
    ['krew link, single binary (argv0 is the link)', [undefined, '/home/u/.krew/bin/kubectl-icsp', '/home/u/.krew/store/icsp/v0.1.0/kubectl-icsp'], { client: 'kubectl', name: 'kubectl icsp', completionHelper: false }],
    ['npm bin, Node bundle (argv1 is the link)', [undefined, 'node', '/usr/local/bin/oc-icsp'], { client: 'oc', name: 'oc icsp', completionHelper: false }],
    ['archive launcher passes its $0', ['/opt/icsp/kubectl-icsp', 'node', '/opt/icsp/oc-icsp.cjs'], { client: 'kubectl', name: 'kubectl icsp', completionHelper: false }],
    ['completion helper under kubectl', [undefined, '/usr/local/bin/kubectl_complete-icsp', '/x/kubectl_complete-icsp'], { client: 'kubectl', name: 'kubectl icsp', completionHelper: true }],
    ['completion helper under oc', [undefined, 'node', '/usr/local/bin/oc_complete-icsp'], { client: 'oc', name: 'oc icsp', completionHelper: true }],
    ['the repo build, run directly', [undefined, 'node', '/repo/dist/oc-icsp'], { client: 'oc', name: 'oc icsp', completionHelper: false }],
    ['an unknown name: oc', [undefined, 'node', '/tmp/whatever'], { client: 'oc', name: 'oc icsp', completionHelper: false }],
  ];
  for (const [name, candidates, expected] of cases) it(name, () => expect(invocationFrom(candidates)).toEqual(expected));
});
