// The plugin's main() run in-process on files only (so the mutation run sees the app code it
// calls): no client is needed, and none is on PATH; and a scratch folder to write the files in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { invocationFrom } from '../../src/cli/invocation.js';
import { main } from '../../src/cli/main.js';

/** A folder for the suite, removed after it; `write` puts a file in it and gives its path. */
export function scratch(prefix: string): { dir: string; write: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

export async function runMain(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), env: { PATH: '/nonexistent' }, invocation: invocationFrom(['oc-icsp']), columns: undefined };
  const status = await main(args, io);
  return { status, stdout: out.join(''), stderr: err.join('') };
}
