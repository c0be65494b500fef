// The shared reference material (real captured logs and upstream test vectors) lives beside the repo.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const SHARED_REFERENCE = fileURLToPath(new URL('../../shared/reference/', import.meta.url));

export function readReference(relative: string): string {
  return readFileSync(join(SHARED_REFERENCE, relative), 'utf8');
}

export function readVectors<T>(name: string): T[] {
  return (JSON.parse(readReference(`vectors/${name}`)) as { vectors: T[] }).vectors;
}
