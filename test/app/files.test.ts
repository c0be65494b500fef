// The user's files: read as given, `-` for standard input, a failure naming the path and the problem.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDir, readText } from '../../src/app/files.js';

const dir = mkdtempSync(join(tmpdir(), 'oc-icsp-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('files', () => {
  it('a file, and a directory listing', () => {
    writeFileSync(join(dir, 'a.conf'), 'x = 1\n');
    expect(readText(join(dir, 'a.conf'))).toBe('x = 1\n');
    expect(listDir(dir)).toEqual(['a.conf']);
  });
  it.each([
    [join(dir, 'missing'), 'no such file or directory'],
    [dir, 'is a directory'],
  ])('%s: one line saying what is wrong', (path, problem) => {
    expect(() => readText(path)).toThrow(`${path}: ${problem}`);
  });
  it('a directory that is not there, or a file where a directory should be', () => {
    expect(() => listDir(join(dir, 'nope'))).toThrow(`${join(dir, 'nope')}: no such file or directory`);
    expect(() => listDir(join(dir, 'a.conf'))).toThrow(new RegExp(`^${join(dir, 'a.conf').replace(/[.]/g, '\\.')}: ENOTDIR`));
  });
});

describe('what a failure says', () => {
  it('a path under a missing folder: no such file; a path under a file: any other error in Node\'s words', () => {
    const path = join(dir, 'missing-folder', 'x');
    expect(() => readText(path)).toThrow(`${path}: no such file or directory`);
    expect(() => readText(`${join(dir, 'a.conf')}/below`)).toThrow(new RegExp(`^${join(dir, 'a.conf').replace(/[.]/g, '\\.')}/below: ENOTDIR`));
  });
  // Root may read anything: CI runs this as another user's test would only where it is not root.
  it.skipIf(process.getuid?.() === 0)('a file it may not read: permission denied, in the words cat uses', () => {
    const path = join(dir, 'secret.conf');
    writeFileSync(path, 'x', { mode: 0o000 });
    expect(() => readText(path)).toThrow(`${path}: permission denied`);
  });
});
