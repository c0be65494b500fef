// docs/output.md names the fields of every document; each named field is in the document the
// report room prints for a model of that kind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/app/audit.js';
import type { ExplainResult } from '../../src/app/explain.js';
import type { StatusResult } from '../../src/app/status.js';
import type { VerifyResult } from '../../src/app/verify.js';
import { renderAudit } from '../../src/report/audit-report.js';
import { renderCleanup } from '../../src/report/cleanup-report.js';
import { renderExplain } from '../../src/report/explain-report.js';
import { renderList } from '../../src/report/list-report.js';
import { renderPlan } from '../../src/report/plan-report.js';
import { renderStatus } from '../../src/report/status-report.js';
import { renderVerify } from '../../src/report/verify-report.js';
import { renderVersion } from '../../src/report/version-report.js';

/** `## Kind (...)` sections, each with the backquoted field paths of its bullets. */
function documented(): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let kind = '';
  for (const line of readFileSync('docs/output.md', 'utf8').split('\n')) {
    const heading = /^## (\w+)/.exec(line);
    if (heading) sections.set((kind = heading[1]!), []);
    else if (kind && line.startsWith('- ')) {
      const [head = '', ...rest] = line.slice(2).split(': ');
      const paths = [...head.matchAll(/`([\w.[\]]+)`/g)].map((m) => m[1]!);
      sections.get(kind)!.push(...paths);
      // `list[]: ... `a`, `b``: the fields of its items (words in parentheses are values, not fields).
      if (paths.length === 1 && paths[0]!.endsWith('[]')) {
        const text = rest.join(': ').replace(/\([^)]*\)/g, '');
        for (const m of text.matchAll(/`(\w+)`/g)) sections.get(kind)!.push(`${paths[0]}.${m[1]}`);
      }
    }
  }
  return sections;
}

function has(doc: unknown, path: string): boolean {
  let at: unknown[] = [doc];
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    at = at.flatMap((v) => (v !== null && typeof v === 'object' && key in v ? [(v as Record<string, unknown>)[key]] : []));
    if (at.length === 0) return false;
    if (list) at = at.flatMap((v) => (Array.isArray(v) ? v.slice(0, 1) : []));
  }
  return true;
}

const D = `sha256:${'e'.repeat(64)}`;
const RUN = { client: 'oc', context: 'admin', server: 'https://api.example:6443', plugin: '0.1.0', startedAt: '2026-12-07T08:00:00.000Z', finishedAt: '2026-12-07T08:00:01.000Z' };
const IMAGE = `registry.example.com/team/app@${D}`;
const attempt = { reference: `mirror.example:5000/team/app@${D}`, mirror: true, ok: true, reason: null, message: null };
const verify = {
  clientName: 'oc', invokedAs: 'oc icsp',
  image: IMAGE, images: [IMAGE], picked: false, check: 'pull', strategy: 'oc debug', namespace: null, namespaceDeleted: true, interrupted: false,
  warnings: [{ code: 'low-disk', node: 'w0', availableKb: 1, totalKb: 2 }],
  policies: [{ kind: 'ImageContentSourcePolicy', name: 'm', source: 'registry.example.com/team', mirrors: ['mirror.example:5000/team'], pull: 'digest', sourcePolicy: 'AllowContactingSource' }],
  nodes: [{
    name: 'w0', image: IMAGE, verdict: 'mirrored', pulledFrom: attempt.reference, reason: { code: 'served-by-mirror', failedFirst: [] }, attempts: [attempt],
    facts: { config: null, proxy: null, credentials: {}, crioConfig: null, lowDisk: null, probeConfig: null, signatures: null, podman: '4.3.1', fingerprint: null }, factWarnings: [],
    engines: null, disagreement: null, now: null, durationMs: 1, imageWasPresent: false, imageRemoved: false,
  }],
  notCovered: [{ image: 'quay.io/openshift/dns@sha256:' + 'd'.repeat(64), seenIn: 'openshift-dns/dns-default-x', containers: 1 }],
  summary: { mirrored: 1, 'mirror-failed': 0, 'not-mirrored': 0, error: 0, skipped: 0 },
  composed: null,
  borrowed: [],
  proposal: { applied: [{ kind: 'ImageDigestMirrorSet', name: 'x' }], deleted: [{ kind: 'ImageContentSourcePolicy', name: 'y' }], rollout: [{ pool: 'worker', action: 'reload', because: 'only digest-only mirrors or registries added' }] },
} as unknown as VerifyResult;
const OTHER = `registry.example.com/team/db@${D}`;
const several = {
  ...verify,
  images: [IMAGE, OTHER],
  nodes: [...verify.nodes, { ...verify.nodes[0]!, image: OTHER }],
  borrowed: [{ name: 'w1', readBy: 'w0', reads: [verify.nodes[0]!], crioStale: false }],
  summary: { ...verify.summary, mirrored: 3 },
  composed: { readers: ['w0'], borrowed: 1 },
} as VerifyResult;
const audit: AuditResult = {
  since: '2026-11-29T06:00:00.000Z', until: '2026-11-30T06:00:00.000Z',
  nodes: [{ name: 'w0', error: null, complete: true, readUpTo: '2026-11-30T05:00:00.000Z', olderBoots: false, pulls: [{ image: IMAGE, at: '2026-11-30T05:00:00.000Z', outcome: 'succeeded', servedBy: attempt.reference, mirror: true, attempts: [{ ...attempt, at: '2026-11-30T05:00:00.000Z', reason: null }], error: null }] }],
  findings: [{ kind: 'silent-fallback', node: 'w0', image: IMAGE, at: '2026-11-30T05:00:00.000Z', mirrorsTried: [], coveredBy: ['ImageContentSourcePolicy/m'] }],
};
const status: StatusResult = {
  pools: [{ name: 'worker', machineCount: 1, updatedMachineCount: 1, readyMachineCount: 1, degradedMachineCount: 0, unavailableMachineCount: 0, updating: false, degraded: false, message: null, currentConfig: 'r', desiredConfig: 'r', registries: null }],
  nodes: [{ name: 'w0', pool: 'worker', currentConfig: 'r', desiredConfig: 'r', state: 'Done', upToDate: true }],
  signaturePolicies: [{ kind: 'ClusterImagePolicy', name: 'openshift', namespace: null, apiVersion: 'config.openshift.io/v1', scopes: ['quay.io/openshift-release-dev/ocp-release'], root: 'PublicKey', builtIn: true }],
  credentialProvider: { apiVersion: 'config.openshift.io/v1', matchImages: ['mirror.example.com'] },
};
const explain: ExplainResult = { image: IMAGE, from: 'files', matched: 'registry.example.com/team', sources: [{ reference: IMAGE, mirror: false, insecure: false, blocked: false, why: 'the source' }] as ExplainResult['sources'], error: null, notes: [{ code: 'no-mirrors', prefix: 'registry.example.com/team' }],
  signature: { from: 'policy.json', requirement: { scope: 'registry.example.com/team', type: 'sigstoreSigned', root: 'PublicKey', identity: 'matchRepoDigestOrExact' }, rejected: false, sources: [{ reference: IMAGE, readsAttachments: true }] } };

const documents: Record<string, () => Promise<string>> = {
  Verify: () => renderVerify(verify, 'json', undefined, undefined, false, RUN),
  VerifyImages: () => renderVerify(several, 'json', undefined, undefined, false, RUN),
  VerifyPlan: () => renderPlan({ strategy: 'oc debug', calls: [{ node: 'w0', argv: ['oc'], stdin: 'x' }], skipped: [] }, 'json'),
  Audit: () => renderAudit(audit, 'json', undefined, undefined, undefined, RUN),
  Status: () => renderStatus(status, 'json'),
  Cleanup: () => renderCleanup([{ namespace: 'oc-icsp-a', runId: 'r', ageMs: 1, contents: [], removed: true }], 'json', true),
  Explain: () => renderExplain(explain, 'json'),
  Version: () => renderVersion({ version: '0.1.0', node: 'v20.20.2', platform: 'linux/amd64' }, 'json'),
  PolicyList: () =>
    renderList([{ kind: 'ImageContentSourcePolicy', name: 'm', source: 's', mirrors: ['m'], pull: 'digest', sourcePolicy: 'AllowContactingSource' }], 'json', undefined, [
      { kind: 'ClusterImagePolicy', name: 'openshift', namespace: null, apiVersion: 'config.openshift.io/v1', scopes: ['quay.io/openshift-release-dev/ocp-release'], root: 'PublicKey', builtIn: true },
    ], { apiVersion: 'config.openshift.io/v1', matchImages: ['mirror.example.com'] }),
};

describe('docs/output.md and the documents', () => {
  const sections = documented();
  it('documents every kind', () => expect([...sections.keys()].sort()).toEqual(Object.keys(documents).sort()));
  for (const [kind, render] of Object.entries(documents)) {
    it(`${kind}: its version and kind, and every field documented`, async () => {
      const doc = JSON.parse(await render());
      expect([doc.apiVersion, doc.kind]).toEqual([kind === 'Verify' ? 'oc-icsp/v3' : 'oc-icsp/v1', kind]);
      const fields = sections.get(kind) ?? [];
      expect(fields.length).toBeGreaterThan(1);
      expect(fields.filter((f) => !has(doc, f))).toEqual([]);
    });
  }
});

/** Every field path in a document (list items read through their first element), as docs/output.md writes them. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length ? paths(value[0], `${prefix}[]`) : [`${prefix}[]`];
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = prefix ? `${prefix}.${k}` : k;
    // A documented list or object is enough for what it holds (attempts, registries ...).
    return [here, ...(Array.isArray(v) && v.length && typeof v[0] === 'object' ? paths(v, here) : [])];
  });
}

describe('the app models do not leak into the public documents', () => {
  // A field added to an app model (say, a count only the table needs) reaches no document.
  const extra = { internal: 'x' };
  const leaky: Record<string, () => Promise<string>> = {
    Audit: () => renderAudit({ ...audit, ...extra, nodes: audit.nodes.map((n) => ({ ...n, ...extra, pulls: n.pulls.map((p) => ({ ...p, ...extra })) })), findings: audit.findings.map((f) => ({ ...f, ...extra })) }, 'json'),
    Status: () =>
      renderStatus({ ...status, ...extra, pools: status.pools.map((p) => ({ ...p, ...extra })), nodes: status.nodes.map((n) => ({ ...n, ...extra })), signaturePolicies: status.signaturePolicies.map((p) => ({ ...p, ...extra })), credentialProvider: { ...status.credentialProvider!, ...extra } }, 'json'),
    Cleanup: () => renderCleanup([{ namespace: 'oc-icsp-a', runId: 'r', ageMs: 1, contents: [], removed: true, ...extra }], 'json', true),
  };
  const sections = documented();
  for (const [kind, render] of Object.entries(leaky)) {
    it(`${kind}: every field of the document is documented, and nothing else`, async () => {
      const doc = JSON.parse(await render());
      const fields = new Set([...(sections.get(kind) ?? []), 'apiVersion', 'kind']);
      expect(paths(doc).filter((p) => !fields.has(p) && !fields.has(p.replace(/\[\]$/, '')) && !fields.has(`${p}[]`))).toEqual([]);
    });
  }
});
