// No probe may harm the node it checks: it pulls into a throwaway store that goes with the run
// (also one a killed run left), never with less free space than the kubelet's eviction needs, and
// its pods preempt nothing.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canRunSandbox, onNode, runVerify, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-probe');
useSandbox(work, [
  { name: 'roomy', config: 'mirrored' },
  { name: 'full', config: 'mirrored', disk: 'low' },
], (created) => {
  s = created;
});

describe.skipIf(!canRunSandbox)('a probe that does no harm', () => {
  it('a node short of disk: its manifest is read instead of pulling, and the warning says why', () => {
    const r = runVerify(s, [s.image, '--nodes', 'roomy,full', '-o', 'json']);
    const doc = JSON.parse(r.stdout) as { warnings: string[]; nodes: { name: string; verdict: string }[] };
    expect(doc.nodes.map((n) => [n.name, n.verdict])).toEqual([['roomy', 'mirrored'], ['full', 'mirrored']]);
    expect(doc.warnings).toContainEqual(expect.stringMatching(/^full: only 0\.1 GiB of 0\.1 GiB free where a pull writes: its manifest was read instead of pulling/));
    expect(doc.warnings.some((w) => w.startsWith('roomy:') && /GiB free/.test(w))).toBe(false);
  });

  it('a store a killed run left over an hour ago is removed by the next run', () => {
    const old = '/var/tmp/oc-icsp-killed1';
    spawnSync('sh', ['-c', `mkdir -p ${old}/root && touch -d '2 hours ago' ${old}`]);
    runVerify(s, [s.image, '--nodes', 'roomy']);
    expect(spawnSync('test', ['-e', old]).status).toBe(1);
  });

  it('pods carry no priority class that could preempt a workload', () => {
    const before = sandbox.ledger(s.dir).length;
    runVerify(s, [s.image, '--nodes', 'roomy', '--strategy', 'daemonset']);
    runVerify(s, [s.image, '--nodes', 'roomy', '--client', spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim()]);
    const pods = sandbox.ledger(s.dir).slice(before).filter((e) => e.event === 'pod-created');
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.priorityClassName).toBeNull();
    expect(onNode(s, 'roomy', ['podman', 'image', 'exists', s.image])).toBe(1);
  });
});
