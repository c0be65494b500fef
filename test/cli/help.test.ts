// Every command's help: each flag once, its choices once, its exit codes once.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/spec.js';

const BIN = 'dist/oc-icsp';
// In a real pseudo-terminal of that width (util-linux script), as a person reads it.
const help = (command: string, columns: string) =>
  spawnSync('script', ['-qec', `stty cols ${columns} rows 50; ${process.execPath} ${BIN} ${command} --help`, '/dev/null'], { encoding: 'utf8' }).stdout.replaceAll('\r\n', '\n');

describe('help texts', () => {
  for (const command of ['', ...Object.keys(COMMANDS)]) {
    for (const columns of ['80', '120']) {
      it(`${command || 'oc icsp'} --help at ${columns} columns: each flag, its choices and the exit codes once`, () => {
        const text = help(command, columns);
        expect(text).toMatch(/Options:/);
        const options = text.slice(text.indexOf('Options:')).split('\n\n')[0]!;
        const optionLines = options.split('\n').filter((l) => /^\s+(-\w, )*--[\w-]+/.test(l));
        const declared = optionLines.map((l) => /--[\w-]+/.exec(l)![0]);
        expect(new Set(declared).size, `repeated flags in ${optionLines.join(' | ')}`).toBe(declared.length);
        for (const line of optionLines) expect(line, 'an alias given twice').not.toMatch(/(-\w), \1,/);
        expect(text.match(/^Exit codes:/gm) ?? []).toHaveLength(1);
        for (const m of text.matchAll(/\[choices: ([^\]]+)\]/g)) {
          const choices = m[1]!.split(', ');
          expect(new Set(choices).size, `choices repeated: ${m[1]}`).toBe(choices.length);
        }
        expect(optionLines.length).toBeGreaterThan(1);
        for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(Number(columns));
        // An example command on one line: none wraps mid-command.
        const examples = text.slice(text.indexOf('Examples:')).split('\n\n')[0]!.split('\n').slice(1);
        for (const [i, line] of examples.entries()) expect(line).toMatch(i % 2 === 0 ? /^ {2}# / : /^ {2}(oc|kubectl) icsp\b/);
      });
    }
  }
});
