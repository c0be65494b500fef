// Errors and exit codes, in one place. Every room throws an InputError (or a subclass) for a
// problem the user can fix; the CLI prints it as one `error: …` line and exits 2.

/** Bad input or a problem in the user's environment: one `error:` line, exit 2, no stack. */
export class InputError extends Error {
  override name = 'InputError';
}

/** An input problem found outside the pure rooms: a flag, a file, the client, the cluster. */
export class UserError extends InputError {
  override name = 'UserError';
}

/** Exit codes are a contract; every command uses these. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  /** A bug in oc-icsp (EX_SOFTWARE from sysexits.h): distinct from anything the user did. */
  bug: 70,
  interrupted: 130,
} as const;

/** The exit codes, as help says them: what 0 and 1 mean is the command's; the rest are the same everywhere. */
export function exitCodesHelp(ok = 'success', findings = 'findings', interruptible = false): string {
  return `Exit codes: 0 ${ok}; 1 ${findings}; 2 usage, input or environment error; 70 a bug in oc-icsp${interruptible ? '; 130 interrupted' : ''}.`;
}

export const EXIT_CODES_HELP = exitCodesHelp('success (verify: every selected node is mirrored)', 'findings', true);

/**
 * A failed system call (ENOENT, EACCES, ENOTDIR, ENOSPC ...) is the environment's problem, not a
 * bug: say which path and what to do.
 */
export function environmentError(error: unknown): InputError | null {
  const e = error as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string') return null;
  const where = e.path ? `${e.path}: ` : '';
  const advice = ENV_ADVICE[e.code] ?? 'check the path and its permissions';
  return new InputError(`${where}${ERRNO_TEXT[e.code] ?? e.code} (${e.syscall}): ${advice}`, { cause: error });
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  ELOOP: 'is a symbolic link, or a loop of them',
  EEXIST: 'already exists',
};

const ENV_ADVICE: Record<string, string> = {
  ENOENT: 'check the path',
  ENOTDIR: 'give a path whose parents are directories',
  EISDIR: 'give a file, not a directory',
  EACCES: 'choose a path you can write, or fix its permissions',
  EPERM: 'choose a path you can write, or fix its permissions',
  ENOSPC: 'free some space or choose another file system',
  EROFS: 'choose a writable file system',
  ELOOP: 'give the real path, not a symbolic link',
  EEXIST: 'remove it or choose another path',
};
