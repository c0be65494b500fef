// Many images at once, the answer first (report/images-report.ts), from node results read from
// real sandbox logs (test/fixtures/node-logs): nodes grouped per image, images with the same
// finding on the same nodes on one line, the wide rows, the compact document.
import { describe, expect, it } from 'vitest';
import { imageOutcomes, imagesSummary, renderImages } from '../../src/report/images-report.js';
import { IMAGE, OTHER, twoImagesRun as run } from './real-results.js';

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

describe('the same warning of several nodes', () => {
  it('is said once, the nodes folded, where the first was found; other lines stay as they are', async () => {
    const { foldedByNode, warningWords } = await import('../../src/report/warning-words.js');
    const speaker = { clientName: 'oc', invokedAs: 'oc icsp' };
    const warnings = [
      { code: 'pool-updating', pool: 'worker', updated: 4, machines: 5 } as const,
      ...['worker-0', 'worker-1', 'worker-2', 'infra-0'].map((node) => ({ code: 'config-differs', node, image: null }) as const),
      { code: 'config-differs', node: 'worker-3', image: OTHER } as const,
      { code: 'low-disk', node: 'worker-1', availableKb: 104857, totalKb: 104857 } as const,
    ];
    const lines = foldedByNode(warnings.map((w) => ({ node: 'node' in w ? w.node : null, message: warningWords(w, speaker) })));
    expect(lines).toEqual([
      'MachineConfigPool worker is still updating (4/5 machines updated): nodes may not have the latest mirror configuration yet (oc icsp status)',
      "infra-0, worker-[0-2] (4 nodes): its registries.conf differs from what the cluster's policies render; the MCO will bring it in line",
      `worker-3: its registries.conf differs from what the cluster's policies render (for ${OTHER}); the MCO will bring it in line`,
      'worker-1: only 0.1 GiB of 0.1 GiB free where a pull writes: its manifest was read instead of pulling, so the check adds nothing to the disk (free space on the node to pull)',
    ]);
  });
});
