// Reading the user's files: a failure names the path and says what is wrong with it.
import { readdirSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

const PROBLEM: Record<string, string> = { ENOENT: 'no such file or directory', EISDIR: 'is a directory', EACCES: 'permission denied' };

/** `-` is standard input, as oc and kubectl read `-f -`. */
export function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw fileError(path, error);
  }
}

export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    throw fileError(dir, error);
  }
}

function fileError(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return new UserError(`${path}: ${PROBLEM[code] ?? (error as Error).message}`, { cause: error });
}
