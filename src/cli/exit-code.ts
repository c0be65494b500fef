// A use case's outcome (app/outcome.ts) as the process's exit code (errors.ts EXIT).
import type { Outcome } from '../app/outcome.js';
import { EXIT } from '../errors.js';

export const exitFor = (outcome: Outcome): number => (outcome === 'clean' ? EXIT.ok : outcome === 'findings' ? EXIT.findings : EXIT.interrupted);
