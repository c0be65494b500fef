// The doing side of completion: look up what the plan asks for, print, never fail loudly
// (a completion that errors only beeps at the user).
import { listContexts } from '../oc/client.js';
import { listNodeNames } from '../oc/cluster.js';
import { completeLookup, DIRECTIVE, formatCompletion, planCompletion } from './completion.js';
import type { Io } from './io.js';
import { openClientFrom } from './options.js';

export async function runCompletion(words: string[], io: Io): Promise<number> {
  const plan = planCompletion(words);
  if (plan.kind === 'list') {
    io.out(formatCompletion(plan));
    return 0;
  }
  let found: string[];
  try {
    // --request-timeout here is the lookup's own bound, not the runs'.
    const runner = openClientFrom(plan.client, io).runner;
    found = plan.source === 'nodes' ? await listNodeNames(runner) : await listContexts(runner);
  } catch {
    io.out(formatCompletion({ candidates: [], directive: DIRECTIVE.noFileComp }));
    return 0;
  }
  io.out(formatCompletion(completeLookup(plan, found)));
  return 0;
}
