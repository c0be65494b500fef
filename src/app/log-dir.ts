// --log-dir: each node's raw output in <dir>/<node>.log, readable by the owner only
// (the logs can show registry hosts and pull-secret file paths).
import { createWriteStream, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { LogSinkFactory } from './check-node.js';

export function logDirSink(dir: string): LogSinkFactory {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return (node) => {
    const path = join(dir, `${node.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
    const fd = openSync(path, 'w', 0o600);
    // An existing file keeps its old mode on open; the log may name hosts and secret paths.
    fchmodSync(fd, 0o600);
    const stream = createWriteStream('', { fd });
    return {
      write(line) {
        stream.write(`${line}\n`);
      },
      close() {
        return new Promise((resolve) => stream.end(resolve));
      },
    };
  };
}
