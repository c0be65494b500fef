// `npm run bench` (after bench-images): the page of a run, opened in Debian's Chromium, side by
// side with an empty page in the same browser:
// - the document of bench-images' light run (300 images x 500 nodes, composed) drawn by
//   `oc icsp report`: its size (goal < 3 MB), and the time from navigation to drawn and ready for
//   input (the page's script done, two frames painted; goal < 1 s);
// - the same document with its outcomes spread over 40 node groups x 60 image rows (each cell a
//   mirror host of its own, so that no two cells, columns or rows fold): a grid of 2,400 cells.
// Each time is the median of 7 openings, each in a new tab.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { browserSkipReason, launchChromium } from './chromium.mjs';

const source = 'dist/bench/images-300x500.json';
if (browserSkipReason()) {
  console.log(`page bench skipped: ${browserSkipReason()}`);
  process.exit(0);
}
if (!existsSync(source)) {
  console.log(`page bench skipped: ${source} is made by scripts/bench-images.mjs (as root), which runs before it`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'oc-icsp-page-bench-'));
const doc = JSON.parse(readFileSync(source, 'utf8'));

/** The same images and nodes, each image's outcome made G x R ways by node and image (see above). */
function spread(base, columns, rows) {
  const nodes = base.nodeSets.flat().filter((n, i, all) => all.indexOf(n) === i);
  const sets = Array.from({ length: columns }, (_, c) => nodes.filter((_, n) => n % columns === c));
  return {
    ...base,
    nodeSets: sets,
    images: base.images.map(({ image, outcomes }, i) => ({
      image,
      outcomes: sets.map((set, c) => {
        const host = `mirror-${c * rows + (i % rows)}.example:5000`;
        const o = outcomes[0];
        return { ...o, pulledFrom: o.pulledFrom && o.pulledFrom.replace(/^[^/]+/, host), nodes: c, count: set.length };
      }),
    })),
  };
}

function draw(document, name) {
  const json = join(work, `${name}.json`);
  writeFileSync(json, JSON.stringify(document));
  const r = spawnSync('dist/oc-icsp', ['report', json], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`report ${name}: exit ${r.status}: ${r.stderr}`);
  const page = join(work, `${name}.html`);
  writeFileSync(page, r.stdout);
  return { url: pathToFileURL(page).href, bytes: Buffer.byteLength(r.stdout) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function openTimes(browser, url, ready) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const tab = await browser.newPage();
    const started = performance.now();
    await tab.goto(url);
    if (ready) await tab.waitForFunction("document.documentElement.dataset.ready === 'true'");
    await tab.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    times.push(performance.now() - started);
    await tab.close();
  }
  return median(times);
}

try {
  const empty = join(work, 'empty.html');
  writeFileSync(empty, '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>empty</title></head><body></body></html>\n');
  const run = draw(doc, 'run');
  const wide = draw(spread(doc, 40, 60), 'spread');
  const browser = await launchChromium();
  try {
    // One opening each first, so that no figure carries the browser's own warm-up.
    await openTimes(browser, pathToFileURL(empty).href, false);
    const emptyMs = await openTimes(browser, pathToFileURL(empty).href, false);
    const runMs = await openTimes(browser, run.url, true);
    const wideMs = await openTimes(browser, wide.url, true);
    const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
    console.log(`the page in Chromium ${browser.version()} (median of 7 openings, each in a new tab; drawn and ready: the script done and two frames painted)`);
    console.log(`  an empty page                                   ${emptyMs.toFixed(0)} ms`);
    console.log(`  ${doc.summary}: page ${mb(run.bytes)} (goal < 3 MB), ${runMs.toFixed(0)} ms = ${(runMs / emptyMs).toFixed(2)}x the empty page (goal < 1 s)`);
    console.log(`  the same, spread over 40 node groups x 60 image rows (2,400 cells): page ${mb(wide.bytes)}, ${wideMs.toFixed(0)} ms = ${(wideMs / emptyMs).toFixed(2)}x the empty page`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
