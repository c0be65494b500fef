// Reading a journal in answers that may each be cut short: the next answer starts at the last
// line's time (inclusive, as journalctl's --since is), and only what it adds is read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JournalSlices } from '../../src/app/journal-slices.js';

// Two real lines (test/fixtures/crio-journal/openshift-docs-35283.log), the second at 10:33:21.597931.
const [PULLING, TRYING] = readFileSync('test/fixtures/crio-journal/openshift-docs-35283.log', 'utf8').split('\n') as [string, string];
const UNTIL = new Date('2021-08-06T00:00:00Z');

function reader() {
  const read: string[] = [];
  const slices = new JournalSlices(UNTIL, (l) => read.push(l));
  const answer = (lines: string[]) => {
    slices.begin();
    for (const l of lines) slices.feed(l);
    return slices.next();
  };
  return { read, answer, slices };
}

describe('a journal read in slices', () => {
  it('asks again from the last line, to the microsecond, and stops when an answer adds nothing', () => {
    const { read, answer, slices } = reader();
    expect(answer([PULLING, TRYING])).toBe('2021-08-05 10:33:21.597931');
    expect(answer([TRYING])).toBeNull();
    expect(read).toEqual([PULLING, TRYING]);
    expect(slices.readUpTo()).toBe('2021-08-05T10:33:21.597Z');
  });

  it('keeps identical lines of one answer (CRI-O writes the same line twice at once), and skips them once repeated', () => {
    const { read, answer } = reader();
    answer([PULLING, TRYING, TRYING]);
    expect(answer([TRYING, TRYING, TRYING])).toBe('2021-08-05 10:33:21.597931');
    expect(read).toEqual([PULLING, TRYING, TRYING, TRYING]);
  });

  it('an empty answer, or journalctl\'s own words, is the end', () => {
    const { read, answer } = reader();
    expect(answer(['-- No entries --'])).toBeNull();
    expect(read).toEqual([]);
  });
});
