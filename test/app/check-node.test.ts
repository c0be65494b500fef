// One node's check, fed the lines of real `--engine both` runs (test/fixtures/node-logs-both):
// the verdict CRI-O's pull gives, podman's beside it, why they differ, the log file, the warnings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type LogSink, startNodeCheck, type NodeCheckContext } from '../../src/app/check-node.js';
import type { Engine } from '../../src/pull-log/engines.js';
import { parseReference } from '../../src/registries/reference.js';
import { readPolicies } from '../../src/registries/policies.js';
import { clusterConf } from '../../src/app/node-config.js';
import { said, warned } from '../words.js';
import { disagreementWords } from '../../src/report/reasons.js';

const IMAGE = 'registry.sandbox.invalid/team/app@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';
const FIXTURE: Record<string, string> = { tight: 'node-logs-low-disk/tight.log', proxied: 'node-logs/digest-proxied.log' };
const lines = (node: string) => readFileSync(`test/fixtures/${FIXTURE[node] ?? `node-logs-both/${node}.log`}`, 'utf8').split('\n');
const END = { status: 'exited' as const, exitCode: 0, clientSaid: null, durationMs: 1234 };

function check(node: string, engine: Engine, over: Partial<NodeCheckContext> = {}) {
  const warnings: string[] = [];
  const context: NodeCheckContext = {
    images: [{ image: IMAGE, ref: parseReference(IMAGE), expectation: { coveredBy: ['ImageContentSourcePolicy/sandbox'] } }],
    engine, clientName: 'oc', invokedAs: 'oc icsp', timeoutMs: 60_000, expected: null, rolloutPending: null, log: undefined,
    warn: (w) => warnings.push(warned(w)),
    ...over,
  };
  const sink = startNodeCheck(node, context);
  for (const line of lines(node)) {
    if (line.startsWith('[oc] ')) sink.clientTalk(line.slice(5));
    else sink.output(line);
  }
  return { sink, warnings };
}

describe('--engine both', () => {
  it("a node whose CRI-O did not reload its registries.conf: CRI-O's verdict, podman's beside it, and why they differ", async () => {
    const { sink } = check('not-reloaded', 'both');
    const [result] = await sink.finish(END);
    expect(result!.verdict).toBe('not-mirrored');
    expect(result!.engines).toEqual({
      podman: { verdict: 'mirrored', pulledFrom: expect.stringMatching(/^127\.0\.0\.1:\d+\/mirror\/team\/app@sha256:/) },
      crictl: { verdict: 'not-mirrored', pulledFrom: null },
    });
    expect(result!.facts.crioConfig).toMatchObject({ stale: true });
    expect(result!.disagreement?.code).toBe('crio-not-reloaded');
    expect(disagreementWords(result!.disagreement!, result!.facts.crioConfig)).toMatch(/^podman mirrored from 127\.0\.0\.1:\d+\/mirror\/team\/app@sha256:\w+, CRI-O not-mirrored: CRI-O has not reloaded registries.conf since it changed \(.+ > .+\): systemctl reload crio, or find why the MCO did not$/);
    expect(result!).toMatchObject({ name: 'not-reloaded', image: IMAGE, durationMs: 1234, facts: { lowDisk: null } });
    expect(result!.facts.credentials).toMatchObject({ [result!.engines!.podman!.pulledFrom!.split('/')[0]!]: false });
  });

  it('a node in sync: both mirrored alike, no disagreement, its CRI-O config not stale', async () => {
    const [result] = await check('in-sync', 'both').sink.finish(END);
    expect([result!.verdict, result!.disagreement, result!.facts.crioConfig?.stale]).toEqual(['mirrored', null, false]);
    expect(result!.engines!.podman).toEqual(result!.engines!.crictl);
  });
});

describe('one engine', () => {
  it.each([
    ['podman', 'mirrored'],
    ['crictl', 'not-mirrored'],
  ] as const)('--engine %s reads only its own pull: %s, no comparison', async (engine, verdict) => {
    const [result] = await check('not-reloaded', engine).sink.finish(END);
    expect([result!.verdict, result!.engines, result!.disagreement]).toEqual([verdict, null, null]);
  });
});

describe('the node check around the verdict', () => {
  it('its log file gets every line, the client\'s marked; a log that failed to write is a warning, not a verdict', async () => {
    const written: string[] = [];
    const log: LogSink = { write: (l) => written.push(l), close: async () => new Error('ENOSPC: no space left on device') };
    const { sink, warnings } = check('in-sync', 'podman', { log });
    const [result] = await sink.finish(END);
    expect(written.length).toBe(lines('in-sync').length);
    expect(written[0]).toMatch(/^\[oc\] Starting pod\//);
    expect(warnings).toEqual(['in-sync: its --log-dir file is incomplete: ENOSPC: no space left on device']);
    expect(result!.verdict).toBe('mirrored');
  });

  it('a rollout still pending is part of the expectation the verdict explains a missing mirror with', async () => {
    const [result] = await check('not-reloaded', 'crictl', { rolloutPending: 'rendered-worker-1 -> rendered-worker-2' }).sink.finish(END);
    expect(said(result!).detail).toMatch(/^no mirror was tried although ImageContentSourcePolicy\/sandbox covers it: the node is still updating its MachineConfig \(rendered-worker-1 -> rendered-worker-2\)/);
  });

  it('too little room to pull: the manifest stood for the pull, and the result says how much room there was', async () => {
    const [result] = await check('tight', 'podman').sink.finish(END);
    expect([result!.verdict, result!.facts.lowDisk]).toEqual(['mirrored', { availableKb: 65536, totalKb: 65536 }]);
  });

  it('through the cluster proxy: the proxy, NO_PROXY and the mirrors reached through it; the image left as it was found', async () => {
    const [result] = await check('proxied', 'podman').sink.finish(END);
    expect(result!.verdict).toBe('mirrored');
    expect(result!.facts.proxy).toEqual({ used: true, httpsProxy: 'http://127.0.0.1:43761', noProxy: '.cluster.local,.svc,localhost', mirrorsThroughProxy: ['proxied.sandbox.invalid:42257'] });
    expect([result!.imageWasPresent, result!.imageRemoved]).toEqual([false, true]);
    expect(result!.facts.credentials['127.0.0.1:36193']).toBe(true);
    // No CRI-O events in this older capture: nothing to say about what CRI-O loaded.
    expect(result!.facts.crioConfig).toBeNull();
  });

  it("the node's registries.conf against what the cluster's policies render: the same, or not", async () => {
    // The sandbox's mirror speaks plain HTTP: image.config lists it as insecure, so the MCO renders it so.
    const image = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: { registrySources: { insecureRegistries: ['proxied.sandbox.invalid:42257'] } } };
    const icsp = (source: string, mirror: string) => ({ apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: { name: 'x' }, spec: { repositoryDigestMirrors: [{ source, mirrors: [mirror] }] } });
    const policies = (source: string, mirror: string) => readPolicies([icsp(source, mirror), image].map((object) => ({ origin: 't', object })));
    const same = await check('proxied', 'podman', { expected: clusterConf(policies('registry.sandbox.invalid/team', 'proxied.sandbox.invalid:42257/mirror/team')) }).sink.finish(END);
    expect(same[0]!.facts.config).toMatchObject({ matchesCluster: true });
    const other = await check('proxied', 'podman', { expected: clusterConf(policies('registry.sandbox.invalid/team', 'elsewhere.example/team')) }).sink.finish(END);
    expect(other[0]!.facts.config).toMatchObject({ matchesCluster: false });
    // The verdict's expectation knows the file lags: not a mirror problem then, but still mirrored here.
    expect(other[0]!.verdict).toBe('mirrored');
  });
});
