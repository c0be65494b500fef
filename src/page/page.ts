// A document in, one self-contained HTML page out (pure). The answer first (the terminal's
// summary sentence), then the grid of images by node groups, the causes, the change and its
// rollout, audit's findings, and the run's facts. The summary and the causes are markup, so they
// read without the script; the script (page-script.ts, bundled at build time) selects cells and
// filters. Its style and script are inline and allowed by hash alone (CSP default-src 'none'), and
// the page asks the network for nothing.
import { createHash } from 'node:crypto';
import script from 'oc-icsp:page-script';
import style from 'oc-icsp:page-style';
import { auditSentence } from '../report/audit-report.js';
import { foldNames } from '../report/fold.js';
import { foldedByNode } from '../report/warning-words.js';
import { plural, verdictsSentence } from '../report/summary-words.js';
import type { AuditDoc, PageDocument, RunFacts } from './documents.js';
import { type Cause, causesOf, type Change, changesOf, type Grid, gridOf } from './grid.js';
import { Html, html, jsonBlock } from './html.js';
import { documentMatrix, type Matrix } from './matrix.js';
import { packOutcome, type PageData } from './page-data.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The policy: nothing but this page's own script and style, by hash. */
export const contentSecurityPolicy = () => `default-src 'none'; script-src ${hash(script)}; style-src ${hash(style)}; base-uri 'none'; form-action 'none'`;

const TITLES: Record<PageDocument['kind'], string> = { Verify: 'verify', VerifyImages: 'verify', Audit: 'audit' };

function summaryOf(doc: PageDocument, m: Matrix): string {
  if (doc.kind === 'VerifyImages') return doc.summary;
  if (doc.kind === 'Verify') return verdictsSentence(m.nodes.length, m.images.length, doc.summary);
  return auditSentence(doc.nodes.map((n) => ({ pulls: Array.isArray(n.pulls) ? n.pulls : [] })), doc.findings.length, doc.since);
}

/** Names folded as the terminal folds them, and every one of them under it. */
function names(list: string[], what: string, fold: boolean): Html {
  const shown = fold ? foldNames(list) : list.length <= 3 ? list.join(', ') : `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`;
  return html`<span class="names">${shown}</span>${list.length > 1 ? html`<details><summary>${plural(list.length, what)}</summary><ul class="list">${list.map((n) => html`<li>${n}</li>`)}</ul></details>` : ''}`;
}

function cellLabel(m: Matrix, cls: number): Html {
  if (cls === -1) return html`<span class="sym">·</span> <span class="word">none</span>`;
  const k = m.classes[cls]!;
  const today = k.now ? html`<span class="today">today: ${k.now.label}</span>` : '';
  const regresses = k.now && k.now.tone === 'ok' && k.tone !== 'ok' ? html`<span class="regresses">regresses</span>` : '';
  const engines = k.engines ? html`<span class="today">${k.engines.code}</span>` : '';
  return html`<span class="sym">${k.symbol}</span> <span class="word">${k.label}</span>${regresses}${today}${engines}`;
}

function gridTable(m: Matrix, grid: Grid): Html {
  const head = grid.columns.map(
    (c, i) => html`<th scope="col" class="col" data-c="${i}"><span class="count">${plural(c.nodes.length, 'node')}</span>${names(c.nodes.map((n) => m.nodes[n]!), 'node', true)}</th>`,
  );
  const body = grid.rows.map(
    (r, ri) => html`<tr data-r="${ri}"><th scope="row" class="row"><span class="count">${plural(r.images.length, 'image')}</span>${names(r.images.map((i) => m.images[i]!), 'image', false)}</th>${r.classes.map(
      (cls, ci) =>
        html`<td data-c="${ci}"><button type="button" class="cell tone-${cls === -1 ? 'muted' : m.classes[cls]!.tone}" data-r="${ri}" data-c="${ci}" aria-pressed="false" title="${cls === -1 ? 'no outcome' : m.classes[cls]!.code}">${cellLabel(m, cls)}</button></td>`,
    )}</tr>`,
  );
  return html`<table id="grid"><thead><tr><th scope="col" class="corner">images \\ nodes</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function causesSection(m: Matrix, causes: Cause[]): Html {
  const items = causes.map(
    (c) => html`<li class="cause tone-${c.tone}"><h3><code>${c.code}</code> <span class="count">${plural(c.count, 'node-image verdict')}: ${plural(c.images.length, 'image')} on ${plural(c.nodes.length, 'node')}</span></h3>${c.words.map(
      (w) => html`<p class="detail">${w.detail}</p>${w.hint ? html`<p class="hint"><b>hint:</b> ${w.hint}</p>` : ''}`,
    )}<div class="affected"><div><b>images:</b> ${names(c.images.map((i) => m.images[i]!), 'image', false)}</div><div><b>nodes:</b> ${names(c.nodes.map((n) => m.nodes[n]!), 'node', true)}</div></div></li>`,
  );
  return html`<section id="causes"><h2>Causes</h2>${causes.length ? html`<ol class="causes">${items}</ol>` : html`<p class="none">None: every node got every image as it should.</p>`}</section>`;
}

function changeSection(doc: PageDocument, m: Matrix, grid: Grid, changes: Change[]): Html {
  if (doc.kind === 'Audit' || !doc.proposal) return html``;
  const p = doc.proposal;
  const what = [...(p.applied.length ? [`applied: ${p.applied.join(', ')}`] : []), ...(p.deleted.length ? [`deleted: ${p.deleted.join(', ')}`] : [])];
  const rollout = p.rollout.map((r) => html`<tr><td>${r.pool}</td><td class="action-${r.action}">${r.action}</td><td>${r.message}</td></tr>`);
  const compared = m.classes.some((k) => k.now);
  const rows = changes.map((c) => {
    const k = m.classes[c.cls]!;
    return html`<tr class="${c.regression ? 'regression' : ''}"><td>${names(grid.rows[c.row]!.images.map((i) => m.images[i]!), 'image', false)}</td><td>${names(grid.columns[c.column]!.nodes.map((n) => m.nodes[n]!), 'node', true)}</td><td class="tone-${k.now!.tone}">${k.now!.label}</td><td class="tone-${k.tone}">${k.symbol} ${k.label}${c.regression ? html` <span class="regresses">regresses</span>` : ''}</td><td><code>${k.code}</code></td></tr>`;
  });
  const regressions = changes.filter((c) => c.regression).reduce((sum, c) => sum + grid.rows[c.row]!.images.length * grid.columns[c.column]!.nodes.length, 0);
  return html`<section id="change"><h2>The change</h2><p>Checked as if ${what.join('; ')}.</p><table class="plain"><thead><tr><th>pool</th><th>rollout</th><th>what it does</th></tr></thead><tbody>${rollout}</tbody></table>${
    compared
      ? html`<h3>Today beside the change</h3><p>${plural(regressions, 'node-image verdict')} mirrored today and not after the change.</p>${changes.length ? html`<table class="plain"><thead><tr><th>images</th><th>nodes</th><th>today</th><th>after the change</th><th>code</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>No verdict changes.</p>`}`
      : ''
  }</section>`;
}

function findingsSection(doc: AuditDoc): Html {
  const unread = doc.nodes.filter((n) => n.error);
  const rows = [...doc.findings]
    .sort((a, b) => a.node.localeCompare(b.node, undefined, { numeric: true }) || a.image.localeCompare(b.image))
    .map((f) => html`<tr><td>${f.node}</td><td class="ref">${f.image}</td><td><code>${f.kind}</code></td><td>${f.at}</td><td>${f.detail}</td></tr>`);
  return html`<section id="findings"><h2>Findings per node and image</h2>${
    rows.length ? html`<table class="plain"><thead><tr><th>node</th><th>image</th><th>finding</th><th>at</th><th>what it means</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="none">No findings.</p>`
  }${unread.length ? html`<h3>Journals not read</h3><ul>${unread.map((n) => html`<li>${n.name}: ${n.error}</li>`)}</ul>` : ''}</section>`;
}

function otherLines(doc: PageDocument): Html {
  if (doc.kind === 'Audit') return html``;
  // Read as text whatever a hand-edited document holds; the same of several nodes said once, as on stderr.
  const said = (Array.isArray(doc.warningReasons) ? doc.warningReasons : []).map((w) => ({ node: typeof w?.node === 'string' ? w.node : null, message: String(w?.message ?? '') }));
  const warnings = foldedByNode(said).map((w) => html`<li><b>warning:</b> ${w}</li>`);
  const uncovered = (doc.notCovered ?? []).map((r) => html`<li class="ref">${r.image} <span class="muted">(in ${r.seenIn})</span></li>`);
  return html`${warnings.length ? html`<ul class="warnings">${warnings}</ul>` : ''}${
    uncovered.length ? html`<section id="not-covered"><h2>Running images no mirror covers</h2><p>They are pulled from their source, and fail once the cluster is cut off from it.</p><ul>${uncovered}</ul></section>` : ''
  }`;
}

function footer(doc: PageDocument, plugin: string): Html {
  const run: RunFacts | undefined = doc.run;
  const facts: [string, string][] = [
    ['cluster', run ? [run.context, run.server].filter(Boolean).join(' at ') || 'not known' : 'not recorded'],
    ['client', run?.client ?? 'not recorded'],
    ['plugin', run ? `oc-icsp ${run.plugin}` : 'not recorded'],
    ['time', run ? `${run.startedAt} to ${run.finishedAt}` : 'not recorded'],
    ...(doc.kind === 'Audit' ? ([['journal window', `${doc.since} to ${doc.until}`]] as [string, string][]) : ([['check', doc.check], ['strategy', doc.strategy]] as [string, string][])),
    ['page', `drawn by oc-icsp ${plugin} from ${/^[AEIOU]/.test(doc.kind) ? 'an' : 'a'} ${doc.kind} document`],
  ];
  return html`<footer><h2>The run</h2><dl>${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></footer>`;
}

/** The page for a document; `plugin`: the version drawing it. */
export function renderPage(doc: PageDocument, plugin: string): string {
  const m = documentMatrix(doc);
  const grid = gridOf(m);
  const causes = causesOf(m, grid);
  const changes = changesOf(m, grid);
  const summary = summaryOf(doc, m);
  const data: PageData = {
    images: m.images,
    nodes: m.nodes,
    classes: m.classes,
    outcomes: m.outcomes.map(packOutcome),
    columns: grid.columns.map((c) => ({ nodes: c.nodes, folded: foldNames(c.nodes.map((n) => m.nodes[n]!)) })),
    rows: grid.rows,
    cellOutcomes: grid.outcomes,
  };
  const gridPart = m.images.length && m.nodes.length
    ? html`<section id="grid-section"><h2>Images by node group</h2><p class="legend">Columns are nodes that got the same for every image; rows are images that got the same in every column. Select a cell for its nodes, images, reason and attempts.</p><div class="filter"><label for="filter">Filter by node or image name</label> <input id="filter" type="search" autocomplete="off" spellcheck="false"> <span id="filter-count" aria-live="polite"></span></div><div class="grid-wrap">${gridTable(m, grid)}</div><aside id="panel" aria-live="polite" hidden></aside></section>`
    : html`<p class="none">No node and image to draw.</p>`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>oc icsp ${TITLES[doc.kind]}: ${summary}</title><style>${new Html(style)}</style></head>
<body><header><p class="kicker">oc icsp ${TITLES[doc.kind]}</p><h1 id="summary">${summary}</h1>${changes.some((c) => c.regression) ? html`<p class="regressions">The change makes some verdicts worse: see “Today beside the change”.</p>` : ''}</header>
<main>${otherLines(doc)}${changeSection(doc, m, grid, changes)}${gridPart}${causesSection(m, causes)}${doc.kind === 'Audit' ? findingsSection(doc) : ''}</main>
${footer(doc, plugin)}
<script type="application/json" id="page-data">${jsonBlock(data)}</script>
<script>${new Html(script)}</script>
</body></html>
`;
  return page.markup;
}
