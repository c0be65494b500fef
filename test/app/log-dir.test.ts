// --log-dir against the real file system: modes, a planted symlink, a directory others can
// write, and a full disk (/dev/full answers every write with ENOSPC).
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLogSink, logDirSink } from '../../src/app/log-dir.js';

const root = mkdtempSync(join(tmpdir(), 'oc-icsp-logdir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('--log-dir', () => {
  it('creates the directory owner-only and each file 0600, even one that was there before', async () => {
    const dir = join(root, 'new', 'logs');
    const sinks = logDirSink(dir);
    writeFileSync(join(dir, 'w1.log'), 'old', { mode: 0o644 });
    for (const node of ['w0', 'w1']) {
      const sink = sinks(node);
      sink.write('line one');
      expect(await sink.close()).toBeNull();
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'w1.log')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'w1.log'), 'utf8')).toBe('line one\n');
  });

  it('never follows a planted symlink', () => {
    const dir = join(root, 'planted');
    const sinks = logDirSink(dir);
    const target = join(root, 'victim');
    writeFileSync(target, 'precious');
    symlinkSync(target, join(dir, 'w0.log'));
    expect(() => sinks('w0')).toThrow(/w0\.log is a symbolic link: not followed/);
    expect(readFileSync(target, 'utf8')).toBe('precious');
  });

  it('refuses a directory others can write', () => {
    const dir = join(root, 'shared');
    logDirSink(dir);
    chmodSync(dir, 0o777);
    expect(() => logDirSink(dir)).toThrow(/others can write to it.*chmod go-w/);
  });

  it('refuses a path under a file, as an input error', () => {
    const file = join(root, 'plain');
    writeFileSync(file, '');
    expect(() => logDirSink(join(file, 'x'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('a full disk is reported at close, never thrown', async () => {
    const sink = fileLogSink(openSync('/dev/full', 'w'));
    sink.write('a line that cannot be written');
    sink.write('nor this one');
    const error = await sink.close();
    expect(error).toMatchObject({ code: 'ENOSPC' });
  });
});
