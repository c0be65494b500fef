// Many images at once, the answer first (report/images-report.ts), from node results read from
// real sandbox logs (test/fixtures/node-logs): nodes grouped per image, images with the same
// finding on the same nodes on one line, the wide rows, the compact document.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type NodeResult, startNodeCheck } from '../../src/app/check-node.js';
import type { VerifyResult } from '../../src/app/verify.js';
import { imageOutcomes, imagesSummary, renderImages } from '../../src/report/images-report.js';
import { parseReference } from '../../src/registries/reference.js';

const IMAGE = 'registry.sandbox.invalid/team/app@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';
const OTHER = 'registry.sandbox.invalid/team/db@sha256:ed0758f0c3025b18efd9a6be002cb052ea209fee69fabe818979512ae18433c0';

/** A node's result for IMAGE from its real log, named `name` and said of `image`. */
async function read(log: string, name: string, image = IMAGE): Promise<NodeResult> {
  const sink = startNodeCheck(name, {
    images: [{ image: IMAGE, ref: parseReference(IMAGE), expectation: { coveredBy: ['ImageContentSourcePolicy/sandbox'] } }],
    engine: 'podman', clientName: 'oc', invokedAs: 'oc icsp', timeoutMs: 60_000, expected: null, rolloutPending: null, log: undefined, warn: () => {},
  });
  for (const line of readFileSync(`test/fixtures/node-logs/${log}.log`, 'utf8').split('\n')) if (!line.startsWith('[oc] ')) sink.output(line);
  const [result] = await sink.finish({ status: 'exited', exitCode: 0, clientSaid: null, durationMs: 900 });
  return { ...result!, image };
}

async function run(): Promise<VerifyResult> {
  const nodes = [
    // IMAGE: served on worker-0 to worker-2, not on worker-3 (its pull secret lacks the mirror's).
    ...(await Promise.all([0, 1, 2].map((i) => read('digest-mirrored', `worker-${i}`)))),
    await read('digest-missing-credentials', 'worker-3'),
    // OTHER: not on the mirror, on every node.
    ...(await Promise.all([0, 1, 2, 3].map((i) => read('digest-not-on-mirror', `worker-${i}`, OTHER)))),
  ];
  const summary = { mirrored: 3, 'mirror-failed': 5, 'not-mirrored': 0, error: 0, skipped: 0 };
  return {
    clientName: 'oc', invokedAs: 'oc icsp', image: IMAGE, images: [IMAGE, OTHER], picked: false, check: 'manifest', strategy: 'oc debug', policies: [], warnings: [],
    nodes, notCovered: [], summary, composed: { readers: ['worker-0', 'worker-3'], borrowed: 4 }, borrowed: [], proposal: null, namespace: null, namespaceDeleted: true, interrupted: false,
  };
}

describe('many images, the answer first', () => {
  it('groups each image nodes by outcome, findings first', async () => {
    const [app, db] = imageOutcomes(await run());
    expect(app!.groups.map((g) => [g.verdict, g.code, g.nodes])).toEqual([
      ['mirror-failed', 'mirror-unauthorized', ['worker-3']],
      ['mirrored', 'served-by-mirror', ['worker-0', 'worker-1', 'worker-2']],
    ]);
    expect(db!.groups.map((g) => [g.verdict, g.code, g.nodes.length])).toEqual([['mirror-failed', 'mirror-manifest-unknown', 4]]);
  });

  it('says how many images every node got from a mirror, then each finding with its nodes folded, its images and its hint', async () => {
    const result = await run();
    const lines = imagesSummary(result, imageOutcomes(result));
    expect(lines[0]).toBe('2 images x 4 nodes: 0 served by a mirror on every node');
    expect(lines[1]).toMatch(/^1 image no mirror served on every node: /);
    expect(lines[2]).toBe(`  ${OTHER}`);
    expect(lines.find((l) => l.startsWith('1 image no mirror served on 1 node (worker-3): '))).toBeDefined();
    expect(lines.filter((l) => l.startsWith('  hint: ')).length).toBeGreaterThan(0);
  });

  it('-o wide: a row per image and outcome under 200 columns, where from, its nodes and detail on lines of their own', async () => {
    const text = await renderImages(await run(), 'wide');
    expect(text.split('\n')[0]).toMatch(/^IMAGE +VERDICT +NODES$/);
    expect(text).toContain('    nodes: worker-[0-2]');
    for (const line of text.split('\n')) if (!line.startsWith('    ')) expect(line.length).toBeLessThan(200);
  });

  it('-o json: kind VerifyImages, each node set listed once and named by index', async () => {
    const doc = JSON.parse(await renderImages(await run(), 'json'));
    expect(doc).toMatchObject({ apiVersion: 'oc-icsp/v1', kind: 'VerifyImages', summary: '2 images x 4 nodes: 0 served by a mirror on every node', composed: { readers: ['worker-0', 'worker-3'], borrowed: 4 } });
    expect(doc.nodeSets).toEqual([['worker-3'], ['worker-0', 'worker-1', 'worker-2'], ['worker-0', 'worker-1', 'worker-2', 'worker-3']]);
    expect(doc.images.map((i: { outcomes: { nodes: number; count: number }[] }) => i.outcomes.map((o) => [o.nodes, o.count]))).toEqual([[[0, 1], [1, 3]], [[2, 4]]]);
  });
});

describe('a node warning for each image', () => {
  it('is said once, counting the images', async () => {
    const { foldImages } = await import('../../src/app/warnings.js');
    const { warningWords } = await import('../../src/report/warning-words.js');
    const folded = foldImages([
      { code: 'config-differs', node: 'worker-5', image: IMAGE },
      { code: 'config-differs', node: 'worker-5', image: OTHER },
      { code: 'config-differs', node: 'worker-4', image: OTHER },
    ]);
    expect(folded.map((w) => warningWords(w, { clientName: 'oc', invokedAs: 'oc icsp' }))).toEqual([
      "worker-5: its registries.conf differs from what the cluster's policies render (for 2 images); the MCO will bring it in line",
      `worker-4: its registries.conf differs from what the cluster's policies render (for ${OTHER}); the MCO will bring it in line`,
    ]);
  });
});
