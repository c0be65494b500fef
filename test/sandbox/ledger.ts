// The sandbox's ledger: one JSON line per object event and request, appended by its API server;
// a reader in another process can catch an append half-written, so only whole lines are read.
import { existsSync, readFileSync } from 'node:fs';

export function readLedger<T = Record<string, unknown>>(file: string): T[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // after the last newline: empty, or an append still being written
  return lines.filter(Boolean).map((l) => JSON.parse(l) as T);
}
