import { describe, expect, it } from 'vitest';
import { foldNames } from '../../src/report/fold.js';

describe('node names folded', () => {
  const cases: [string[], string][] = [
    [['worker-0', 'worker-1', 'worker-2', 'infra-1'], 'infra-1, worker-[0-2]'],
    [['worker-0', 'worker-2', 'worker-3', 'worker-7'], 'worker-[0,2-3,7]'],
    [['master'], 'master'],
    [['ip-10-0-1-5.ec2.internal', 'ip-10-0-1-6.ec2.internal'], 'ip-10-0-1-5.ec2.internal, ip-10-0-1-6.ec2.internal'],
    [['node01', 'node02', 'node03'], 'node[01-03]'],
    [['w1', 'w1'], 'w1'],
  ];
  for (const [names, folded] of cases) it(folded, () => expect(foldNames(names)).toBe(folded));
});
