// Reading the user's files: a failure names the path and says what is wrong with it.
import { readdirSync, readFileSync } from 'node:fs';
import { UserError } from '../errors.js';


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

/** The system's error, in the words ls and cat use for it; any other as Node says it. */
function problemOf(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
      return 'permission denied';
    default:
      return (error as Error).message;
  }
}

function fileError(path: string, error: unknown): UserError {
  return new UserError(`${path}: ${problemOf(error)}`, { cause: error });
}
