// --log-dir: each node's raw output in <dir>/<node>.log (a composed run's survey in
// <dir>/<node>.survey.log), readable by the owner only (the logs
// can show registry hosts and pull-secret file paths). The directory is checked before any
// node is touched; a planted symlink is never followed; a failed write costs that log only.
import { closeSync, constants, createWriteStream, fchmodSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { LogSink, LogSinkFactory } from './check-node.js';

const OPEN_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

export function logDirSink(dir: string): LogSinkFactory {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new UserError(`--log-dir ${dir}: not a directory (a symbolic link is not followed): give a directory`);
  if ((stat.mode & 0o022) !== 0) {
    throw new UserError(`--log-dir ${dir}: others can write to it, so they could plant files there: use a directory only you can write (chmod go-w)`);
  }
  return (node, part) => {
    const path = join(dir, `${node.replace(/[^A-Za-z0-9._-]/g, '_')}${part ? `.${part}` : ''}.log`);
    let fd: number;
    try {
      fd = openSync(path, OPEN_FLAGS, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ELOOP' ? `${path} is a symbolic link: not followed` : `${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      // An existing file keeps its old mode on open.
      fchmodSync(fd, 0o600);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return fileLogSink(fd);
  };
}

/** Lines to an open file; a write error (ENOSPC) is kept and reported at close, never thrown. */
export function fileLogSink(fd: number): LogSink {
  const stream = createWriteStream('', { fd });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    write(line) {
      if (!failure) stream.write(`${line}\n`);
    },
    close() {
      return new Promise((resolve) => {
        if (stream.destroyed) return resolve(failure);
        stream.end((error?: Error | null) => resolve(failure ?? error ?? null));
      });
    },
  };
}
