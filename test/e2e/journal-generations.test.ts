// The kubelet's journal endpoint in its two generations (test/sandbox/api/journal.ts): 4.12 reads
// the previous and the current boot only; 4.14 and later read every boot, but answer without the
// journal when their check that crio logs to it fails. audit must say so in both cases, never
// report such a node as read and clean.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, sandbox, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let old: Sandbox;
let current: Sandbox;
// A pull, then two reboots: the pull is two boots back.
const nodes = [{ name: 'worker-0', config: 'mirrored', workloads: ['mirrored' as const] }, { name: 'worker-1', config: 'mirrored', workloads: ['mirrored' as const] }];
useSandbox(suiteDir('oc-icsp-journal-412'), nodes, (s) => {
  old = s;
  sandbox.reboot(s, 'worker-0');
  sandbox.reboot(s, 'worker-0');
}, { settings: { openshift: '4.12' } });
useSandbox(suiteDir('oc-icsp-journal-418'), nodes, (s) => {
  current = s;
  sandbox.reboot(s, 'worker-0');
  sandbox.reboot(s, 'worker-0');
}, { settings: { openshift: '4.18' } });

const audit = (s: Sandbox, args: string[]) => spawnSync(BIN, ['audit', '--client', 'oc', ...args], { encoding: 'utf8', env: envFor(s) });
type NodeDoc = { name: string; complete: boolean; olderBoots: boolean; error: string | null; pulls: unknown[] };
const nodesOf = (r: ReturnType<typeof audit>) => Object.fromEntries((JSON.parse(r.stdout).nodes as NodeDoc[]).map((n) => [n.name, n]));

describe.skipIf(!canRunSandbox)('the journal endpoint of each generation', () => {
  it('4.12: a window with two reboots loses the pull before them, and says so; a node without reboots is read whole', () => {
    const r = audit(old, ['-o', 'json']);
    const byName = nodesOf(r);
    expect(byName['worker-0']).toMatchObject({ complete: false, olderBoots: true, pulls: [] });
    expect(byName['worker-1']).toMatchObject({ complete: true, olderBoots: false });
    expect(byName['worker-1']!.pulls).toHaveLength(1);
    const table = audit(old, ['--nodes', 'worker-0']);
    expect(table.status).toBe(1);
    expect(table.stdout).toContain('worker-0: journal incomplete: the window spans boots before the previous one, and OpenShift 4.12 and 4.13 read only the previous and the current boot');
  });

  it('4.18: every boot is read, the pull two boots back among them', () => {
    const byName = nodesOf(audit(current, ['-o', 'json']));
    expect(byName['worker-0']).toMatchObject({ complete: true, olderBoots: false });
    expect(byName['worker-0']!.pulls).toHaveLength(1);
  });

  it("4.18: the kubelet's check that crio logs to the journal fails: the node is an error, not a clean read", () => {
    sandbox.fault(current, { kind: 'journal-check-fails', node: 'worker-1' });
    try {
      const r = audit(current, ['-o', 'json']);
      expect(r.status).not.toBe(0);
      expect(nodesOf(r)['worker-1']).toMatchObject({
        complete: false,
        pulls: [],
        error: "the kubelet did not read crio's journal (options present and query resolved to log files for [crio crio] try without specifying options): its check that crio logs to the journal failed or ran out of time; run audit again",
      });
    } finally {
      sandbox.clearFault(current, 'journal-check-fails');
    }
  });

  it('4.18 refuses a query it cannot validate with 406 and its own words; 4.12 with 400', () => {
    const bad = (s: Sandbox) => spawnSync('oc', ['adm', 'node-logs', 'worker-1', '-u', 'crio/x'], { encoding: 'utf8', env: envFor(s) });
    const newer = bad(current);
    expect(newer.status).toBe(1);
    expect(newer.stderr).toContain('query: Invalid value: "crio/x": input contains unsupported characters');
    expect(bad(old).stderr).toContain("parameter 'unit' is invalid: input contains unsupported characters");
  });
});
