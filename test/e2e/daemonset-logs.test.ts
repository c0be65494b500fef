// A DaemonSet's pods that have printed their whole output before the plugin follows them (light
// mode: each pod replays a recorded node log at once): kubectl, picking pods by selector, reads
// only their last 10 lines unless told otherwise, and the sandbox's API serves tailLines as the
// kubelet does. The plugin must read every line.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunSandbox, runVerify, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-ds-logs');
const NODES = ['w0', 'w1', 'w2', 'w3'];
useSandbox(work, NODES.map((name) => ({ name, config: 'mirrored' })), (created) => {
  s = created;
}, { settings: { light: { log: join(process.cwd(), 'test/fixtures/node-logs/digest-mirrored.log') }, podLatencyMs: 300 } });

describe.skipIf(!canRunSandbox)('DaemonSet logs read from their first line', () => {
  it('every node gets its verdict from its whole output', () => {
    const r = runVerify(s, [s.image, '--strategy', 'daemonset', '--timeout', '30s', '-o', 'json']);
    expect(r.stderr).not.toMatch(/^error: /m);
    const doc = JSON.parse(r.stdout) as { nodes: { name: string; verdict: string }[] };
    expect(doc.nodes.map((n) => [n.name, n.verdict])).toEqual(NODES.map((n) => [n, 'mirrored']));
  });
});
