/** A problem the user can fix: printed as one `error: …` line, exit code 2, no stack. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Exit codes are a contract; every command uses these. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  interrupted: 130,
} as const;
