// Upstream test vectors and real podman captures, copied into test/fixtures/reference (see its README).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REFERENCE_DIR = fileURLToPath(new URL('./fixtures/reference/', import.meta.url));

export function readReference(relative: string): string {
  return readFileSync(join(REFERENCE_DIR, relative), 'utf8');
}

export function readVectors<T>(name: string): T[] {
  return (JSON.parse(readReference(`vectors/${name}`)) as { vectors: T[] }).vectors;
}
