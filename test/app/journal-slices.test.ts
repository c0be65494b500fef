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
  const answer = (lines: string[], endedWithNewline = true) => {
    slices.begin();
    for (const l of lines) slices.feed(l);
    slices.end(endedWithNewline);
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

  it('a last line cut in the middle (journalctl killed mid-write) is dropped, and read whole in the next answer', () => {
    const { read, answer } = reader();
    // The kubelet's SIGKILL leaves journalctl's pipe buffer unflushed: the answer ends inside a line.
    const cut = TRYING.slice(0, TRYING.indexOf(' msg=') + 10);
    expect(answer([PULLING, cut], false)).toBe('2021-08-05 10:33:21.594996');
    expect(answer([PULLING, TRYING])).toBe('2021-08-05 10:33:21.597931');
    expect(read).toEqual([PULLING, TRYING]);
  });

  it("an answer without a journal line or journalctl's '-- No entries --' read nothing: the kubelet's words say why", () => {
    const { slices } = reader();
    slices.begin();
    // openshift/kubernetes pkg/kubelet/kubelet_server_journal.go copyForBoot, when its journalctl --field check fails.
    for (const l of ['', 'options present and query resolved to log files for [crio crio]', 'try without specifying options']) slices.feed(l);
    slices.end(true);
    expect(slices.unread()).toBe('options present and query resolved to log files for [crio crio] try without specifying options');
    expect(slices.next()).toBeNull();
    slices.begin();
    slices.feed('-- No entries --');
    slices.end(true);
    expect(slices.unread()).toBeNull();
    slices.begin();
    slices.end(true);
    expect(slices.unread()).toBe('an empty answer');
  });

  it('journalctl\'s boot separators are neither journal nor the kubelet\'s words', () => {
    const { slices, read } = reader();
    slices.begin();
    for (const l of [PULLING, '-- Boot 4f3c0ffee0a54b0c8e4f1c2d3e4f5a6b --', TRYING]) slices.feed(l);
    slices.end(true);
    expect([slices.unread(), read]).toEqual([null, [PULLING, TRYING]]);
  });
});

