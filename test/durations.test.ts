import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/durations.js';

describe('durations', () => {
  const parsed: [string, number][] = [['90s', 90_000], ['5m', 300_000], ['1h', 3_600_000], ['1m30s', 90_000], ['3', 3_000], ['2.5', 2_500], ['250ms', 250], [' 10s ', 10_000]];
  for (const [text, ms] of parsed) it(`reads ${JSON.stringify(text)}`, () => expect(parseDuration(text, '--timeout')).toBe(ms));

  const refused: [string, string][] = [
    ['soon', '--timeout "soon" is not a duration: use e.g. 90s, 5m, 1h or plain seconds'],
    ['5 m', '--timeout "5 m" is not a duration: use e.g. 90s, 5m, 1h or plain seconds'],
    ['-5s', '--timeout "-5s" is not a duration: use e.g. 90s, 5m, 1h or plain seconds'],
    ['0', '--timeout "0" must be more than zero'],
    ['0s', '--timeout "0s" must be more than zero'],
  ];
  for (const [text, message] of refused) it(`refuses ${JSON.stringify(text)}`, () => expect(() => parseDuration(text, '--timeout')).toThrow(message));

  const formatted: [number, string][] = [[20, '20ms'], [3_000, '3s'], [1_500, '1.5s'], [90_000, '1m30s'], [300_000, '5m'], [3_600_000, '1h'], [3_723_000, '1h2m3s']];
  for (const [ms, text] of formatted) {
    it(`writes ${ms} ms as ${text}, which reads back`, () => {
      expect(formatDuration(ms)).toBe(text);
      expect(parseDuration(text, 'x')).toBe(ms);
    });
  }
});
