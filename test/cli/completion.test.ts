// Completion decisions, as a table: the words after the plugin's name (the last one under the
// cursor) → what is offered, and cobra's directive.
import { describe, expect, it } from 'vitest';
import { completeLookup, formatCompletion, planCompletion } from '../../src/cli/completion.js';

describe('completion plans', () => {
  const cases: [string[], ReturnType<typeof planCompletion>][] = [
    [[''], { kind: 'list', candidates: ['verify', 'explain', 'render', 'list', 'migrate', 'audit', 'status', 'cleanup', 'completion', 'report', 'version'], directive: 4 }],
    [['ver'], { kind: 'list', candidates: ['verify', 'version'], directive: 4 }],
    [['verify', '-o', ''], { kind: 'list', candidates: ['table', 'wide', 'json', 'yaml'], directive: 4 }],
    [['verify', '--output', 'y'], { kind: 'list', candidates: ['yaml'], directive: 4 }],
    [['verify', '--output=j'], { kind: 'list', candidates: ['--output=json'], directive: 4 }],
    [['verify', '--client', ''], { kind: 'list', candidates: ['oc', 'kubectl'], directive: 4 }],
    [['verify', '--timeout', ''], { kind: 'list', candidates: [], directive: 4 }],
    [['verify', 'img', ''], { kind: 'list', candidates: [], directive: 4 }],
    [['verify', '--log-dir', ''], { kind: 'list', candidates: [], directive: 16 }],
    [['verify', '--report', ''], { kind: 'list', candidates: [], directive: 0 }],
    [['report', ''], { kind: 'list', candidates: [], directive: 0 }],
    [['report', 'a.json', ''], { kind: 'list', candidates: [], directive: 4 }],
    [['explain', 'img', '-f', ''], { kind: 'list', candidates: [], directive: 0 }],
    [['verify', '--kubeconfig', ''], { kind: 'list', candidates: [], directive: 0 }],
    [['completion', ''], { kind: 'list', candidates: ['bash', 'zsh'], directive: 4 }],
    [['completion', 'bash', ''], { kind: 'list', candidates: [], directive: 4 }],
    [['migrate', '--'], { kind: 'list', candidates: ['--color', '--filename', '--help'], directive: 4 }],
    [['verify', 'img', '--dry-run', '--d'], { kind: 'list', candidates: [], directive: 4 }],
    [['explain', '-f', 'a.yaml', '--fil'], { kind: 'list', candidates: ['--filename'], directive: 4 }],
    [
      ['verify', 'img', '--context', 'prod', '--nodes', 'w0,w'],
      { kind: 'lookup', source: 'nodes', partial: 'w', prefix: 'w0,', client: { client: undefined, kubeconfig: undefined, context: 'prod', requestTimeout: '5s' } },
    ],
    [
      ['verify', '--kubeconfig=/k', '--context', ''],
      { kind: 'lookup', source: 'contexts', partial: '', prefix: '', client: { client: undefined, kubeconfig: '/k', context: undefined, requestTimeout: '5s' } },
    ],
  ];
  for (const [words, plan] of cases) it(JSON.stringify(words), () => expect(planCompletion(words)).toEqual(plan));

  it('every flag of verify is offered, hidden ones not', () => {
    const plan = planCompletion(['verify', '--']);
    expect(plan).toMatchObject({ kind: 'list' });
    const names = (plan as { candidates: string[] }).candidates;
    expect(names).toContain('--dry-run');
    expect(names).toContain('--request-timeout');
    expect(names).not.toContain('--namespace');
  });

  it('a lookup keeps what matches, sorted, behind the prefix; printed cobra-style', () => {
    const plan = planCompletion(['verify', 'x', '--nodes', 'a,w']);
    if (plan.kind !== 'lookup') throw new Error('expected a lookup');
    const done = completeLookup(plan, ['worker-1', 'infra-0', 'worker-0']);
    expect(formatCompletion(done)).toBe('a,worker-0\na,worker-1\n:4\n');
  });
});
