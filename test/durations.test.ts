import { describe, expect, it } from 'vitest';
import { sinceTime } from '../src/cli/commands/audit.js';
import { formatDuration, parseDuration } from '../src/durations.js';

describe('durations', () => {
  const parsed: [string, number][] = [['90s', 90_000], ['5m', 300_000], ['1h', 3_600_000], ['1m30s', 90_000], ['3', 3_000], ['2.5', 2_500], ['250ms', 250], [' 10s ', 10_000], ['2d', 172_800_000], ['1.5h', 5_400_000], ['1d12h', 129_600_000]];
  for (const [text, ms] of parsed) it(`reads ${JSON.stringify(text)}`, () => expect(parseDuration(text, '--timeout')).toBe(ms));

  const refused: [string, string][] = [
    ['soon', '--timeout "soon" is not a duration: use e.g. 90s, 5m, 1h, 2d or plain seconds'],
    ['5 m', '--timeout "5 m" is not a duration: use e.g. 90s, 5m, 1h, 2d or plain seconds'],
    ['-5s', '--timeout "-5s" is not a duration: use e.g. 90s, 5m, 1h, 2d or plain seconds'],
    ['0', '--timeout "0" must be more than zero'],
    ['0s', '--timeout "0s" must be more than zero'],
  ];
  for (const [text, message] of refused) it(`refuses ${JSON.stringify(text)}`, () => expect(() => parseDuration(text, '--timeout')).toThrow(message));

  // One grammar for every flag: where 0 means something (no timeout, any age) it is a value; a
  // value handed to the client takes no days, which Go's time.ParseDuration lacks.
  it('0 where the flag gives it a meaning', () => {
    expect(parseDuration('0', '--older-than', { zero: true })).toBe(0);
    expect(parseDuration('0s', '--request-timeout', { zero: true, days: false })).toBe(0);
  });
  it('no days for the client', () => {
    expect(() => parseDuration('2d', '--request-timeout', { zero: true, days: false })).toThrow('--request-timeout "2d" is not a duration: use e.g. 90s, 5m, 1h or plain seconds');
    expect(parseDuration('1h30m', '--request-timeout', { zero: true, days: false })).toBe(5_400_000);
  });

  const formatted: [number, string][] = [[20, '20ms'], [3_000, '3s'], [1_500, '1.5s'], [90_000, '1m30s'], [300_000, '5m'], [3_600_000, '1h'], [3_723_000, '1h2m3s']];
  for (const [ms, text] of formatted) {
    it(`writes ${ms} ms as ${text}, which reads back`, () => {
      expect(formatDuration(ms)).toBe(text);
      expect(parseDuration(text, 'x')).toBe(ms);
    });
  }
});

describe("audit's --since", () => {
  const now = new Date('2026-12-01T12:00:00Z');
  // The help and the README name 2d; days had been refused by the grammar.
  it.each([
    ['2d', '2026-11-29T12:00:00.000Z'],
    ['24h', '2026-11-30T12:00:00.000Z'],
    ['90m', '2026-12-01T10:30:00.000Z'],
    ['2026-11-30 03:00', '2026-11-30T03:00:00.000Z'],
  ])('%s', (text, at) => expect(sinceTime(text, now).toISOString()).toBe(at));
  it('neither: says both forms', () => expect(() => sinceTime('yesterday', now)).toThrow(/is neither a duration \(24h, 90m, 2d\) nor a UTC time/));
});
