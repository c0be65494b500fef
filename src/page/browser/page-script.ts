// The page's script (bundled into the page at build time; scripts/text-modules.mjs): select a cell
// to see its nodes, images, reason and attempts; filter the grid by a node or image name. Every
// string from the document is set as text (textContent, text nodes), never parsed as HTML.
import type { CellAttempt, CellOutcome } from '../matrix.js';
import { plural } from '../../report/summary-words.js';
import { type PageData, unpackOutcome } from '../page-data.js';

type Child = Node | string | null | false;

function el(tag: string, className: string | null, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const c of children) if (c !== null && c !== false) e.append(c);
  return e;
}

/** Every name, in a list under a summary that says how many. */
function nameList(list: string[], what: string, folded?: string): HTMLElement {
  if (list.length === 1) return el('div', 'names-block', el('span', 'names ref', list[0]!));
  const details = el('details', null, el('summary', null, plural(list.length, what)), el('ul', 'list', ...list.map((n) => el('li', null, n))));
  return el('div', 'names-block', folded ? el('span', 'names', folded) : null, details);
}

function attemptItem(a: CellAttempt): HTMLElement {
  const result = a.ok === true ? 'ok' : a.ok === false || a.reason ? (a.reason ?? 'failed') : a.at ? 'tried' : 'not reached';
  return el(
    'li',
    a.ok === true ? 'tone-ok' : a.reason || a.ok === false ? 'tone-bad' : null,
    el('b', null, a.mirror ? 'mirror ' : 'source '),
    el('span', 'ref', a.reference),
    `: ${result}`,
    a.message ? el('div', 'message', a.message) : null,
    a.at ? el('div', 'muted', a.at) : null,
  );
}

function attemptsBlock(outcome: CellOutcome): HTMLElement {
  return el(
    'div',
    null,
    outcome.pulledFrom ? el('div', null, 'served from ', el('span', 'ref', outcome.pulledFrom)) : null,
    outcome.attempts.length ? el('ol', 'attempts', ...outcome.attempts.map(attemptItem)) : el('p', 'muted', 'no attempt recorded'),
  );
}

// Beyond this many images a cell's attempts are listed for the first ones, and the count said.
const ATTEMPTS_SHOWN = 25;

function start(): void {
  const dataBlock = document.getElementById('page-data');
  const grid = document.getElementById('grid');
  const panel = document.getElementById('panel');
  if (!dataBlock || !grid || !panel) return;
  const data = JSON.parse(dataBlock.textContent ?? '{}') as PageData;
  let selected: HTMLElement | null = null;

  const close = () => {
    selected?.setAttribute('aria-pressed', 'false');
    selected = null;
    panel.hidden = true;
    panel.replaceChildren();
  };

  const show = (button: HTMLElement, r: number, c: number) => {
    selected?.setAttribute('aria-pressed', 'false');
    selected = button;
    button.setAttribute('aria-pressed', 'true');
    const row = data.rows[r]!;
    const column = data.columns[c]!;
    const cls = row.classes[c]!;
    const k = cls === -1 ? null : data.classes[cls]!;
    const nodes = column.nodes.map((n) => data.nodes[n]!);
    const images = row.images.map((i) => data.images[i]!);
    const closeButton = el('button', 'close', 'close');
    closeButton.setAttribute('type', 'button');
    closeButton.addEventListener('click', close);
    const perImage = row.images.slice(0, ATTEMPTS_SHOWN).map((i) => {
      const at = data.cellOutcomes[c]![i]!;
      const image = data.images[i]!;
      const outcome = (o: number) => attemptsBlock(unpackOutcome(data.outcomes[o]!, image));
      const blocks = typeof at === 'number' ? (at === -1 ? [] : [outcome(at)]) : at.map(([o, on]) => el('div', 'on-nodes', el('div', 'muted', `on ${on.map((n) => data.nodes[n]).join(', ')}:`), outcome(o)));
      return el('li', null, el('div', 'ref image', image), ...blocks);
    });
    const parts: Child[] = [
      closeButton,
      el('h3', k ? `tone-${k.tone}` : 'tone-muted', k ? `${k.symbol} ${k.label}` : 'no outcome', ' ', k ? el('code', 'code', k.code) : null),
      k?.now ? el('p', null, `today: ${k.now.label} (${k.now.code})`) : null,
      k ? el('p', 'detail', k.detail) : null,
      k?.hint ? el('p', 'hint', el('b', null, 'hint: '), k.hint) : null,
      k?.engines ? el('p', 'hint', el('b', null, `${k.engines.code}: `), k.engines.message) : null,
      el('h4', null, plural(nodes.length, 'node')),
      nameList(nodes, 'node', column.folded),
      el('h4', null, plural(images.length, 'image')),
      nameList(images, 'image'),
      el('h4', null, 'Attempts, in order'),
      el('ol', 'per-image', ...perImage),
      row.images.length > ATTEMPTS_SHOWN ? el('p', 'muted', `and ${row.images.length - ATTEMPTS_SHOWN} more images, tried alike for their own repositories`) : null,
    ];
    panel.replaceChildren(...parts.filter((p): p is Node | string => p !== null && p !== false));
    panel.hidden = false;
  };

  grid.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLElement>('button.cell');
    if (!button) return;
    if (button === selected) return close();
    show(button, Number(button.dataset.r), Number(button.dataset.c));
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected) close();
  });
  // Arrow keys move between the cells shown, as in a spreadsheet.
  const STEPS: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  grid.addEventListener('keydown', (event) => {
    const step = STEPS[event.key];
    const from = (event.target as Element).closest<HTMLElement>('button.cell');
    if (!step || !from) return;
    const cells = [...grid.querySelectorAll<HTMLElement>('tbody tr:not(.filtered)')].map((tr) => [...tr.querySelectorAll<HTMLElement>('td:not(.filtered) button.cell')]);
    const r = cells.findIndex((row) => row.includes(from));
    const c = cells[r]!.indexOf(from);
    const to = cells[r + step[0]]?.[c + step[1]];
    if (!to) return;
    event.preventDefault();
    to.focus();
  });

  const filter = document.getElementById('filter') as HTMLInputElement | null;
  const count = document.getElementById('filter-count');
  const columnCells = data.columns.map((_, c) => [...grid.querySelectorAll<HTMLElement>(`[data-c="${c}"]`)].filter((e) => e.tagName !== 'BUTTON'));
  const rowElements = data.rows.map((_, r) => grid.querySelector<HTMLElement>(`tr[data-r="${r}"]`)!);
  const apply = () => {
    const q = (filter?.value ?? '').trim().toLowerCase();
    const hit = (name: string) => name.toLowerCase().includes(q);
    const columns = data.columns.map((c) => !q || c.nodes.some((n) => hit(data.nodes[n]!)));
    const rows = data.rows.map((r) => !q || r.images.some((i) => hit(data.images[i]!)));
    // A name that is a node's filters the columns; one that is an image's, the rows.
    const byColumn = columns.some(Boolean);
    const byRow = rows.some(Boolean);
    columnCells.forEach((cells, c) => cells.forEach((e) => e.classList.toggle('filtered', q !== '' && byColumn && !columns[c])));
    rowElements.forEach((e, r) => e.classList.toggle('filtered', q !== '' && byRow && !rows[r]));
    if (count) {
      count.textContent = !q
        ? ''
        : !byColumn && !byRow
          ? 'no node or image name matches'
          : `${byColumn ? columns.filter(Boolean).length : data.columns.length} of ${plural(data.columns.length, 'node group')}, ${byRow ? rows.filter(Boolean).length : data.rows.length} of ${plural(data.rows.length, 'image row')}`;
    }
    if (selected && selected.closest('.filtered')) close();
  };
  filter?.addEventListener('input', apply);
  if (filter?.value) apply();

  document.documentElement.dataset.ready = 'true';
  performance.mark('oc-icsp-ready');
}

start();
