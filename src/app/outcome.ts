// What a run found, as every use case reports it: the cli turns it into an exit code (errors.ts).
export type Outcome = 'clean' | 'findings' | 'interrupted';

export const outcomeOf = (findings: boolean): Outcome => (findings ? 'findings' : 'clean');
