// The test client's ledger: one JSON line per event, appended by many client processes at once.
// A reader can catch an append half-written, so only lines that end with a newline are read.
import { existsSync, readFileSync } from 'node:fs';

export function readLedger(file) {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // after the last newline: empty, or an append still being written
  return lines.filter(Boolean).map((l) => JSON.parse(l));
}
