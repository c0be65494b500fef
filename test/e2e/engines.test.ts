// verify through CRI-O itself (--engine crictl): crictl pulls with what CRI-O loaded, and the
// attempts are read back from CRI-O's journal; the same verdicts and reasons as podman. And
// --engine both on a node whose registries.conf changed after CRI-O loaded it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editNodeConfig, reloadCrio } from '../sandbox/sandbox.js';
import { canRunSandbox, runVerify, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-engines');
useSandbox(work, [
  { name: 'in-sync', config: 'cluster' },
  { name: 'no-credentials', config: 'needs-credentials', credentials: false },
  { name: 'not-on-mirror', config: 'not-on-mirror' },
  { name: 'untrusted-tls', config: 'untrusted-tls' },
  { name: 'lagging', config: 'no-entry' },
  { name: 'not-reloaded', config: 'no-entry' },
], (created) => {
  s = created;
  // The MCO wrote the policies to this node's file, but CRI-O was not reloaded.
  editNodeConfig(s.dir, 'not-reloaded', 'cluster');
});

interface Doc {
  warnings: string[];
  nodes: {
    name: string;
    verdict: string;
    pulledFrom: string | null;
    attempts: { reference: string; mirror: boolean; reason: string | null }[];
    engines: Record<string, { verdict: string; pulledFrom: string | null }> | null;
    disagreement: { code: string; message: string } | null;
    crioConfig: { stale: boolean } | null;
  }[];
}
const verify = (engine: string, nodes: string) => JSON.parse(runVerify(s, [s.image, '--engine', engine, '--nodes', nodes, '--timeout', '60s', '-o', 'json']).stdout) as Doc;
const outcome = (d: Doc) => d.nodes.map((n) => [n.name, n.verdict, n.pulledFrom, n.attempts.map((a) => `${a.mirror ? 'mirror' : 'source'}:${a.reason}`).join(',')]);

describe.skipIf(!canRunSandbox)('--engine crictl', () => {
  const nodes = 'in-sync,no-credentials,not-on-mirror,untrusted-tls,lagging';
  it("CRI-O's journal gives podman's verdicts and reasons on every node", () => {
    const podman = verify('podman', nodes);
    const crio = verify('crictl', nodes);
    expect(outcome(crio)).toEqual(outcome(podman));
    expect(outcome(crio).map((o) => o[1])).toEqual(['mirrored', 'mirror-failed', 'mirror-failed', 'mirror-failed', 'not-mirrored']);
  });

  it('the pulls land in the journal, in CRI-O format', () => {
    const journal = readFileSync(join(s.dir, 'nodes', 'in-sync', 'journal.log'), 'utf8');
    expect(journal).toMatch(new RegExp(`crio\\[1484\\]: time="[^"]+" level=info msg="Pulled image: registry\\.sandbox\\.invalid/team/app@${s.digest}" id=`));
  });
});

describe.skipIf(!canRunSandbox)('--engine both', () => {
  it('flags a node whose CRI-O has not reloaded a changed registries.conf, with the cause', () => {
    const d = verify('both', 'in-sync,not-reloaded');
    const node = d.nodes.find((n) => n.name === 'not-reloaded')!;
    expect(node.engines).toEqual({
      podman: { verdict: 'mirrored', pulledFrom: `${s.registries.open.host}/mirror/team/app@${s.digest}` },
      crictl: { verdict: 'not-mirrored', pulledFrom: null },
    });
    expect(node.verdict).toBe('not-mirrored');
    expect(node.crioConfig!.stale).toBe(true);
    expect(node.disagreement!.code).toBe('crio-not-reloaded');
    expect(node.disagreement!.message).toMatch(/^podman mirrored from .*, CRI-O not-mirrored: CRI-O has not reloaded registries\.conf since it changed/);
    expect(d.nodes.find((n) => n.name === 'in-sync')).toMatchObject({ disagreement: null, crioConfig: { stale: false } });
    expect(d.warnings.some((w) => w.startsWith('not-reloaded: registries.conf changed after CRI-O last loaded it'))).toBe(true);
  });

  it('after systemctl reload crio they agree', () => {
    reloadCrio(s.dir, 'not-reloaded');
    const node = verify('both', 'not-reloaded').nodes[0]!;
    expect(node).toMatchObject({ verdict: 'mirrored', disagreement: null, crioConfig: { stale: false } });
  });
});
