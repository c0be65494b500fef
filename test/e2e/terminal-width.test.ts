// Every command in a real pseudo-terminal (util-linux script) at 80 and 120 columns, with node
// names as long as a real cluster's: no table line is wider than the terminal, and what a row
// had to cut is said in full on screen.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, canRunSandbox, envFor, type Sandbox, suiteDir, useSandbox } from './helpers.js';

let s: Sandbox;
const work = suiteDir('oc-icsp-width');
const W0 = 'worker-0.compute.cluster.example.com';
const W1 = 'worker-1.compute.cluster.example.com';
useSandbox(work, [
  { name: W0, config: 'cluster', workloads: ['mirrored', 'fallback', 'tag'] },
  { name: W1, config: 'quay-missing', rollout: true, workloads: ['failed'] },
], (created) => {
  s = created;
});

/** stdout of the plugin in a pseudo-terminal `columns` wide. */
function onScreen(args: string[], columns: number): string[] {
  const quoted = args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', `stty cols ${columns} rows 60; ${BIN} ${quoted} 2>/dev/null`, '/dev/null'], { encoding: 'utf8', env: { ...envFor(s), TERM: 'dumb' } });
  return r.stdout.split(/\r?\n|\r/);
}

/** The lines of each table: from a header of upper-case words to the next blank line. */
function tableLines(lines: string[]): string[] {
  const out: string[] = [];
  let inTable = false;
  for (const line of lines) {
    if (/^(#|[A-Z][A-Z.]*)( {2,}[A-Z#][A-Z. ]*)+$/.test(line.trimEnd())) inTable = true;
    else if (line.trim() === '') inTable = false;
    if (inTable) out.push(line);
  }
  return out;
}

describe.skipIf(!canRunSandbox)('readable in the terminal it runs in', () => {
  for (const columns of [80, 120]) {
    it(`verify, status, audit, list, explain, cleanup and --dry-run at ${columns} columns`, () => {
      const commands: string[][] = [
        ['verify', s.image],
        ['verify', s.image, '--dry-run'],
        ['status'],
        ['audit'],
        ['list'],
        ['explain', s.image],
        ['cleanup'],
      ];
      for (const args of commands) {
        const lines = onScreen(args, columns);
        const tables = tableLines(lines);
        // list and audit turn to one block an entry or node where a table would not fit: then
        // every line of the blocks (up to the findings) fits.
        const blocks = tables.length === 0 && ['list', 'audit'].includes(args[0]!);
        const checked = blocks ? lines.slice(0, Math.max(0, lines.indexOf(''))) : tables;
        // audit's findings fold as its blocks do, whether its table fit or not: every line fits.
        if (args[0] === 'audit') for (const line of lines) expect(line.length, `audit: ${line}`).toBeLessThanOrEqual(columns);
        if (blocks) expect(checked.length, args.join(' ')).toBeGreaterThan(1);
        else if (args[0] !== 'cleanup' && !args.includes('--dry-run')) expect(tables.length, args.join(' ')).toBeGreaterThan(1);
        for (const line of checked) expect(line.length, `${args.join(' ')}: ${line}`).toBeLessThanOrEqual(columns);
      }
      // What verify's rows had to cut, under the table in full: the source of the mirrored node.
      const verify = onScreen(['verify', s.image], columns);
      expect(verify.some((l) => l.startsWith(`${W0}: `) && l.includes(`${s.registries.open.host}/mirror/team/app`))).toBe(columns === 80);
      expect(verify.some((l) => l.startsWith(`${W1}: `))).toBe(true);
    });
  }

  it('-o wide stays under 200 columns, each attempt on its own line', () => {
    const lines = onScreen(['verify', s.image, '-o', 'wide'], 250).filter(Boolean);
    for (const line of lines) expect(line.length, line).toBeLessThan(200);
    expect(lines.filter((l) => /^ {4}(mirror|source) /.test(l)).length).toBeGreaterThanOrEqual(3);
  });
});
