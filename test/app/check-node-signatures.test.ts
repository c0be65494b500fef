// One node's check under a signature policy, fed whole node logs captured on the sandbox playing
// 4.21 (test/fixtures/node-logs-signatures/README.md): the verdict and its reason, what the
// signatures fact reports, and its warnings, against the cluster's own policies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startNodeCheck, type NodeCheckContext } from '../../src/app/check-node.js';
import { clusterConf } from '../../src/app/node-config.js';
import { readNodeOutput } from '../../src/node-check/node-output.js';
import { readPolicies } from '../../src/registries/policies.js';
import { parseReference } from '../../src/registries/reference.js';
import { reasonWords } from '../../src/report/reasons.js';
import { warned } from '../words.js';

const text = (name: string) => readFileSync(`test/fixtures/node-logs-signatures/${name}.log`, 'utf8');
const RELEASE = 'registry.sandbox.invalid/openshift-release-dev/ocp-release';
const IMAGE = `${RELEASE}@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0`;
// The mirror host and the release key, as the captured node files have them.
const HOST = /127\.0\.0\.1:\d+/.exec(text('pull-signed'))![0];
const POLICY = JSON.parse(readNodeOutput(text('pull-signed')).facts.signatures.files[0]!.text) as { transports: { docker: Record<string, { keyData: string }[]> } };
const KEY = POLICY.transports.docker[RELEASE]![0]!.keyData;
const END = { status: 'exited' as const, exitCode: 0, clientSaid: null, durationMs: 900 };

function cluster() {
  return readPolicies(
    [
      { apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name: 'sandbox-release' }, spec: { imageDigestMirrors: [{ source: RELEASE, mirrors: ['signed', 'unsigned', 'wrong-key'].map((m) => `${HOST}/${m}/ocp-release`) }] } },
      { apiVersion: 'config.openshift.io/v1', kind: 'ClusterImagePolicy', metadata: { name: 'openshift' }, spec: { scopes: [RELEASE], policy: { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: KEY } } } } },
      { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { insecureRegistries: [HOST] } } },
    ].map((object) => ({ origin: 'cluster', object })),
  );
}

async function check(name: string, over: Partial<NodeCheckContext> = {}) {
  const warnings: string[] = [];
  const policies = cluster();
  const sink = startNodeCheck(name, {
    images: [{ image: IMAGE, ref: parseReference(IMAGE), expectation: { coveredBy: ['ImageDigestMirrorSet/sandbox-release'] } }],
    engine: 'podman', clientName: 'oc', invokedAs: 'oc icsp', timeoutMs: 60_000, log: undefined, rolloutPending: null,
    expected: clusterConf(policies), expectedSignatures: { policies: policies.imagePolicies },
    warn: (w) => warnings.push(warned(w)),
    ...over,
  });
  for (const line of text(name).split('\n')) if (!line.startsWith('[oc] ')) sink.output(line);
  const [result] = await sink.finish(END);
  return { result: result!, words: reasonWords(result!.reason, { clientName: 'oc', invokedAs: 'oc icsp' }), factWarnings: result!.factWarnings.map((w) => warned(w)) };
}

const REQUIREMENT = { scope: RELEASE, type: 'sigstoreSigned', root: 'PublicKey', identity: 'matchRepoDigestOrExact' };

describe('--check pull', () => {
  it('an unsigned first mirror: mirror-failed signature-missing, naming it, the next mirror untried', async () => {
    const { result, words } = await check('pull-unsigned-first');
    expect(result.verdict).toBe('mirror-failed');
    expect(result.reason).toEqual({
      code: 'signature-missing', endpoint: `${HOST}/unsigned/ocp-release`, mirror: true, host: HOST, requirement: REQUIREMENT,
      attachment: expect.stringMatching(/^sha256-[0-9a-f]{64}\.sig$/), seenBy: 'pull', why: null, untried: 2,
    });
    expect(words.detail).toBe(
      `mirror ${HOST}/unsigned/ocp-release served the image without its signature: policy.json requires sigstoreSigned (PublicKey) for scope ${RELEASE}; the 2 source(s) after it are not tried: CRI-O does not fall back on a signature`,
    );
    expect(words.hint).toContain(`oc image mirror ${RELEASE}:sha256-`);
    expect(words.hint).toContain(` ${HOST}/unsigned/ocp-release:sha256-`);
    expect(result.facts.signatures).toMatchObject({ requirement: REQUIREMENT, attachmentsRead: { endpoint: `${HOST}/unsigned/ocp-release`, enabled: true }, matchesCluster: true, attachment: null });
  });
  it("a signature this node's podman refuses: signature-rejected with podman's words", async () => {
    const { result, words } = await check('pull-signed');
    expect(result.reason).toMatchObject({ code: 'signature-rejected', endpoint: `${HOST}/signed/ocp-release`, why: 'Debian-local change: sigstore disabled', untried: 3 });
    expect(words.summary).toBe('signature refused on mirror');
  });
  it('a node whose policy.json lags the ClusterImagePolicy: mirrored, and a warning', async () => {
    const { result, factWarnings } = await check('pull-lagging');
    expect([result.verdict, result.facts.signatures?.requirement, result.facts.signatures?.matchesCluster]).toEqual(['mirrored', null, false]);
    expect(factWarnings).toEqual([
      'pull-lagging: its policy.json or registries.d requires other signatures than the cluster\'s ClusterImagePolicies render: its MachineConfig rollout may not be done, or the files were edited (oc icsp status)',
    ]);
  });
  it('without the cluster policies to compare with, no lag is claimed', async () => {
    const { result } = await check('pull-lagging', { expectedSignatures: null });
    expect(result.facts.signatures?.matchesCluster).toBeNull();
  });
});

describe('--check manifest', () => {
  it('the attachment missing where the manifest came from: mirror-failed signature-missing, seen by its absence', async () => {
    const { result, words } = await check('manifest-unsigned-first');
    expect(result.reason).toMatchObject({ code: 'signature-missing', seenBy: 'attachment', endpoint: `${HOST}/unsigned/ocp-release`, untried: 2 });
    expect(words.detail).toMatch(/^no signature attachment \(sha256-[0-9a-f]{64}\.sig\) on mirror /);
    expect(result.facts.signatures?.attachment).toMatchObject({ found: false });
  });
  it('the attachment there: mirrored, "signature there", which a manifest check does not verify', async () => {
    for (const name of ['manifest-signed', 'manifest-wrong-key']) {
      const { result, words } = await check(name);
      expect([result.verdict, result.reason]).toEqual(['mirrored', { code: 'served-by-mirror', failedFirst: [], signature: 'attachment-present' }]);
      expect(words.detail).toBe('served by a mirror; signature attachment present (a manifest check does not verify it; --check pull does)');
    }
  });
  it('no policy on the node: nothing looked for, no signature in the reason', async () => {
    const { result } = await check('manifest-lagging');
    expect(result.reason).toEqual({ code: 'served-by-mirror', failedFirst: [], signature: null });
  });
});

describe('registries.d that does not read the mirror', () => {
  it("a warning naming the endpoint, when the node's files do not list it", async () => {
    // The captured unsigned-first log, with the mirror taken out of the node's registries.d.
    const edited = text('pull-unsigned-first').replace(`  ${HOST}/unsigned/ocp-release:\n    use-sigstore-attachments: true\n`, '');
    expect(edited).not.toBe(text('pull-unsigned-first'));
    const policies = cluster();
    const sink = startNodeCheck('n', {
      images: [{ image: IMAGE, ref: parseReference(IMAGE), expectation: { coveredBy: [] } }],
      engine: 'podman', clientName: 'oc', invokedAs: 'oc icsp', timeoutMs: 60_000, log: undefined, rolloutPending: null,
      expected: clusterConf(policies), expectedSignatures: { policies: policies.imagePolicies }, warn: () => {},
    });
    for (const line of edited.split('\n')) if (!line.startsWith('[oc] ')) sink.output(line);
    const [result] = await sink.finish(END);
    expect(result!.factWarnings).toEqual([
      { code: 'signature-policy-differs', node: 'n', image: null },
      { code: 'signature-attachments-off', node: 'n', endpoint: `${HOST}/unsigned/ocp-release` },
    ]);
  });
});
