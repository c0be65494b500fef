// The page as a string (src/page/): drawn from documents of real nodes' answers
// (test/report/real-results.ts), the grid folded, the causes biggest first, the policy that allows
// only the page's own script and style, and the refusals. The browser suite (page-browser) opens
// the same pages in Chromium.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pageDocument, READS } from '../../src/page/documents.js';
import { causesOf, gridOf } from '../../src/page/grid.js';
import { documentMatrix } from '../../src/page/matrix.js';
import { renderPage } from '../../src/page/page.js';
import { verifyDocumentObject } from '../../src/report/verify-report.js';
import { IMAGE, OTHER, twoImagesRun } from '../report/real-results.js';

const RUN = { client: 'oc', context: 'admin@sandbox', server: 'https://127.0.0.1:6443', plugin: '0.1.0', startedAt: '2026-12-07T08:00:00.000Z', finishedAt: '2026-12-07T08:00:09.000Z' };

/** The document as `-o json` prints it and `report` reads it back. */
const saved = (doc: object) => pageDocument(JSON.parse(JSON.stringify(doc)), 'test.json');

const blocks = (page: string, tag: 'script' | 'style') => [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('the page of a verify run', () => {
  it('folds 2 images on 4 nodes into 2 columns and 2 rows, worst first', async () => {
    const doc = saved(verifyDocumentObject(await twoImagesRun(), RUN));
    const m = documentMatrix(doc);
    const grid = gridOf(m);
    expect(m.nodes).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3']);
    expect(grid.columns.map((c) => c.nodes.map((n) => m.nodes[n]))).toEqual([['worker-3'], ['worker-0', 'worker-1', 'worker-2']]);
    expect(grid.rows.map((r) => [r.images.map((i) => m.images[i]), r.classes.map((k) => m.classes[k]!.code)])).toEqual([
      [[OTHER], ['mirror-manifest-unknown', 'mirror-manifest-unknown']],
      [[IMAGE], ['mirror-unauthorized', 'served-by-mirror']],
    ]);
    expect(causesOf(m, grid).map((c) => [c.code, c.count, c.images.length, c.nodes.length])).toEqual([
      ['mirror-manifest-unknown', 4, 1, 4],
      ['mirror-unauthorized', 1, 1, 1],
    ]);
  });

  it('answers first with the terminal summary, then the grid and the causes, the run in the footer', async () => {
    const page = renderPage(saved(verifyDocumentObject(await twoImagesRun(), RUN)), '0.1.0');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<h1 id="summary">2 images x 4 nodes: 0 served by a mirror on every node</h1>');
    expect(page.indexOf('id="summary"')).toBeLessThan(page.indexOf('id="grid"'));
    expect(page.indexOf('id="grid"')).toBeLessThan(page.indexOf('id="causes"'));
    expect(page).toContain('<dt>cluster</dt><dd>admin@sandbox at https://127.0.0.1:6443</dd>');
    expect(page).toContain('<dt>check</dt><dd>manifest</dd>');
    // Each cell says its verdict in a word and a symbol, not by colour alone.
    expect(page).toMatch(/class="cell tone-bad"[^>]*><span class="sym">✗<\/span> <span class="word">mirror-failed<\/span>/);
  });

  it('says the warnings and the running images no mirror covers (--running)', async () => {
    const result = { ...(await twoImagesRun()), notCovered: [{ image: 'docker.io/library/redis:7', seenIn: 'cache/redis-0', containers: 3 }], warnings: [{ code: 'pool-updating' as const, pool: 'worker', updated: 4, machines: 5 }] };
    const page = renderPage(saved(verifyDocumentObject(result, RUN)), '0.1.0');
    expect(page).toContain('<h2>Running images no mirror covers</h2>');
    expect(page).toContain('<li class="ref">docker.io/library/redis:7 <span class="muted">(in cache/redis-0)</span></li>');
    expect(page).toMatch(/<ul class="warnings"><li><b>warning:<\/b> MachineConfigPool worker is still updating \(4\/5 machines updated\)/);
  });

  it('a single image (Verify) draws one row', async () => {
    const result = await twoImagesRun();
    const one = { ...result, images: [IMAGE], nodes: result.nodes.filter((n) => n.image === IMAGE), summary: { mirrored: 3, 'mirror-failed': 1, 'not-mirrored': 0, error: 0, skipped: 0 } };
    const doc = saved(verifyDocumentObject(one, RUN));
    expect(doc.kind).toBe('Verify');
    const page = renderPage(doc, '0.1.0');
    expect(page).toContain('<h1 id="summary">4 node(s): 3 mirrored, 1 mirror-failed</h1>');
    expect(gridOf(documentMatrix(doc)).rows).toHaveLength(1);
  });

  it('allows only its own inline script and style, by hash, and names nothing outside itself', async () => {
    const page = renderPage(saved(verifyDocumentObject(await twoImagesRun(), RUN)), '0.1.0');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!.replaceAll('&#39;', "'");
    const scripts = blocks(page, 'script');
    const [style] = blocks(page, 'style');
    expect(scripts).toHaveLength(1);
    expect(csp).toBe(`default-src 'none'; script-src ${sha(scripts[0]!)}; style-src ${sha(style!)}; base-uri 'none'; form-action 'none'`);
    expect(page).not.toMatch(/\s(src|href|action|srcset)=/i);
    expect(style).not.toMatch(/url\(|@import/i);
  });
});

describe('nodes with nothing to show', () => {
  it('a node not Ready is a column of its own, skipped, with no attempts, and its cause counted', async () => {
    const { resultWithoutRun } = await import('../../src/app/check-node.js');
    const { parseReference } = await import('../../src/registries/reference.js');
    const result = await twoImagesRun();
    const down = [IMAGE, OTHER].map((image) => resultWithoutRun('worker-4', image, parseReference(image), 'KubeletNotReady: PLEG is not healthy'));
    const doc = saved(verifyDocumentObject({ ...result, nodes: [...result.nodes, ...down], summary: { ...result.summary, skipped: 2 } }, RUN));
    const m = documentMatrix(doc);
    const grid = gridOf(m);
    const column = grid.columns.findIndex((c) => c.nodes.map((n) => m.nodes[n]).includes('worker-4'));
    expect(grid.columns[column]!.nodes).toHaveLength(1);
    expect(grid.rows.map((r) => m.classes[r.classes[column]!]!.label)).toEqual(['skipped', 'skipped']);
    expect(m.outcomes[grid.outcomes[column]![0] as number]!.attempts).toEqual([]);
    const page = renderPage(doc, '0.1.0');
    expect(page).toContain('<span class="sym">–</span> <span class="word">skipped</span>');
    expect(causesOf(m, grid).find((c) => c.code === 'node-not-ready')).toMatchObject({ count: 2, images: [0, 1] });
  });
});

describe('--engine both', () => {
  it('a node where CRI-O and podman differ says so in its cell, with the words the table uses', async () => {
    const result = await twoImagesRun();
    const nodes = result.nodes.filter((n) => n.image === IMAGE).map((n) =>
      n.name === 'worker-3' ? { ...n, disagreement: { code: 'crio-not-reloaded' as const, podman: { verdict: n.verdict, pulledFrom: n.pulledFrom }, crio: { verdict: 'mirrored' as const, pulledFrom: 'x' } } } : n,
    );
    const doc = saved(verifyDocumentObject({ ...result, images: [IMAGE], nodes, summary: { mirrored: 3, 'mirror-failed': 1, 'not-mirrored': 0, error: 0, skipped: 0 } }, RUN));
    const m = documentMatrix(doc);
    const k = m.classes.find((c) => c.engines)!;
    expect(k.engines).toEqual({ code: 'crio-not-reloaded', message: (doc as { nodes: { disagreement: { message: string } | null }[] }).nodes.find((n) => n.disagreement)!.disagreement!.message });
    expect(renderPage(doc, '0.1.0')).toContain('<span class="today">crio-not-reloaded</span>');
  });
});

describe('hostile strings', () => {
  it('are text: markup in a node name, a message and a hint cannot end a block or start a tag', async () => {
    const evil = '<img src=x onerror=alert(1)></script><script>alert(2)</script>"\'&';
    const doc = JSON.parse(JSON.stringify(verifyDocumentObject(await twoImagesRun(), RUN)));
    doc.nodeSets = doc.nodeSets.map((s: string[]) => s.map((n) => (n === 'worker-3' ? evil : n)));
    doc.images[0].outcomes[0].hint = evil;
    doc.images[0].outcomes[0].detail = evil;
    doc.images[0].outcomes[0].attempts[0].message = evil;
    doc.run.server = evil;
    const page = renderPage(saved(doc), '0.1.0');
    expect(page).not.toContain('<img');
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;&#39;&amp;');
    // The data block keeps the string whole, as JSON with `<` escaped.
    const data = JSON.parse(/<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/.exec(page)![1]!);
    expect(data.nodes).toContain(evil);
  });
});

describe('documents the page reads', () => {
  it('refuses another kind or version, saying which it reads', () => {
    expect(() => pageDocument({ apiVersion: 'oc-icsp/v1', kind: 'Status', pools: [] }, 'status.json')).toThrow(
      'status.json: a Status document (oc-icsp/v1): the page is drawn from Verify (oc-icsp/v3), VerifyImages (oc-icsp/v1), Audit (oc-icsp/v1), as verify and audit print them with -o json',
    );
    expect(() => pageDocument({ apiVersion: 'oc-icsp/v2', kind: 'Verify' }, 'old.json')).toThrow(/^old\.json: a Verify document \(oc-icsp\/v2\): the page is drawn from/);
    expect(() => pageDocument([1], 'list.json')).toThrow(/^list\.json: not a document/);
    expect(() => pageDocument({ apiVersion: READS.VerifyImages, kind: 'VerifyImages', summary: 'x', check: 'manifest', strategy: 'oc debug', images: [] }, 'cut.json')).toThrow(
      'cut.json: VerifyImages document with nodeSets missing, not an array: save it again with -o json',
    );
    expect(() => pageDocument({ apiVersion: READS.Verify, kind: 'Verify', summary: {}, check: 'manifest', strategy: 'oc debug', images: [], nodes: [{}, null] }, 'hand.json')).toThrow(
      'hand.json: Verify document whose nodes[1] is a null, not an object: save it again with -o json',
    );
  });
});

describe('references in the page data', () => {
  it('carry their image digest or tag once: relative to the image, whole again in the browser', async () => {
    const { absoluteFor, relativeTo } = await import('../../src/page/page-data.js');
    const cases: [string, string, string][] = [
      [`127.0.0.1:5000/mirror/team/app@sha256:${'e'.repeat(64)}`, `quay.io/team/app@sha256:${'e'.repeat(64)}`, '~127.0.0.1:5000/mirror/team/app'],
      ['127.0.0.1:5000/mirror/team/app:v1', 'quay.io/team/app:v1', '~127.0.0.1:5000/mirror/team/app'],
      // Another digest, or no suffix of the image's: kept whole.
      [`mirror:5000/app@sha256:${'f'.repeat(64)}`, `quay.io/app@sha256:${'e'.repeat(64)}`, `mirror:5000/app@sha256:${'f'.repeat(64)}`],
      ['mirror:5000/app', 'quay.io/app', 'mirror:5000/app'],
    ];
    for (const [reference, image, relative] of cases) {
      expect(relativeTo(reference, image)).toBe(relative);
      expect(absoluteFor(relativeTo(reference, image), image)).toBe(reference);
    }
  });
});
