import { describe, expect, it } from 'vitest';
import { decideTerminal } from '../../src/cli/terminal.js';

const tty = { stdout: true, stderr: true };
const pipe = { stdout: false, stderr: false };

describe('the terminal, decided once', () => {
  const cases: [string, Parameters<typeof decideTerminal>, { color: boolean; spinner: boolean }][] = [
    ['a terminal: colour and a spinner', [{ noColor: false, output: 'table' }, {}, tty], { color: true, spinner: true }],
    ['piped: neither', [{ noColor: false, output: 'table' }, {}, pipe], { color: false, spinner: false }],
    ['NO_COLOR', [{ noColor: false, output: 'table' }, { NO_COLOR: '1' }, tty], { color: false, spinner: true }],
    ['--no-color', [{ noColor: true, output: 'wide' }, {}, tty], { color: false, spinner: true }],
    ['TERM=dumb', [{ noColor: false, output: 'table' }, { TERM: 'dumb' }, tty], { color: false, spinner: true }],
    ['-o json never spins', [{ noColor: false, output: 'json' }, {}, tty], { color: true, spinner: false }],
    ['-o yaml never spins', [{ noColor: false, output: 'yaml' }, {}, tty], { color: true, spinner: false }],
    ['CI never spins', [{ noColor: false, output: 'table' }, { CI: 'true' }, tty], { color: true, spinner: false }],
    ['stdout piped, stderr a terminal: spinner, no colour', [{ noColor: false, output: 'table' }, {}, { stdout: false, stderr: true }], { color: false, spinner: true }],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => {
      const t = decideTerminal(...args);
      expect({ color: t.color, spinner: t.spinner }).toEqual(expected);
      expect(t.paint('x', 'red')).toBe(expected.color ? '\u001b[31mx\u001b[0m' : 'x');
    });
  }
});
