// Shell completion, cobra's way: `kubectl __complete icsp verify -o ''` runs our helper
// (kubectl_complete-icsp) with the words after the plugin's name, the last one being the word
// under the cursor. We print one candidate per line, then `:<directive>`. Deciding is pure
// (planCompletion); looking up node names or contexts is the only doing.
import { COMMANDS, type CommandName, ROOT_OPTIONS, VALUE_SOURCES, type ValueSource } from './spec.js';
import type { ClientOptions } from './options.js';

/** cobra's ShellCompDirective bits (spf13/cobra completions.go). */
export const DIRECTIVE = { default: 0, error: 1, noSpace: 2, noFileComp: 4, filterFileExt: 8, filterDirs: 16, keepOrder: 32 } as const;

export type CompletionPlan =
  | { kind: 'list'; candidates: string[]; directive: number }
  | { kind: 'lookup'; source: 'nodes' | 'contexts'; partial: string; prefix: string; client: ClientOptions };

interface Flag {
  name: string;
  takesValue: boolean;
  array: boolean;
  hidden: boolean;
  choices: readonly string[] | undefined;
}

function flagsOf(command: CommandName | null): Map<string, Flag> {
  const options = { ...ROOT_OPTIONS, ...(command ? COMMANDS[command].options : {}) } as Record<string, Record<string, unknown>>;
  const flags = new Map<string, Flag>();
  for (const [name, o] of Object.entries(options)) {
    const flag: Flag = {
      name,
      takesValue: o.type !== 'boolean',
      array: o.array === true,
      hidden: o.hidden === true,
      choices: o.choices as readonly string[] | undefined,
    };
    flags.set(`--${name}`, flag);
    if (typeof o.alias === 'string') flags.set(o.alias.length === 1 ? `-${o.alias}` : `--${o.alias}`, flag);
  }
  return flags;
}

export function planCompletion(words: string[]): CompletionPlan {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let command: CommandName | null = null;
  let positionals = 0;
  let pendingValue: Flag | null = null;
  const used = new Set<string>();
  const given: Record<string, string> = {};
  for (const word of before) {
    const flags = flagsOf(command);
    if (pendingValue) {
      given[pendingValue.name] = word;
      pendingValue = null;
      continue;
    }
    if (word.startsWith('-')) {
      const [name, value] = splitFlag(word);
      const flag = flags.get(name);
      if (!flag) continue;
      used.add(flag.name);
      if (flag.takesValue && value === undefined) pendingValue = flag;
      else if (value !== undefined) given[flag.name] = value;
      continue;
    }
    if (!command && word in COMMANDS) command = word as CommandName;
    else positionals++;
  }
  const flags = flagsOf(command);
  const client: ClientOptions = { client: given.client, kubeconfig: given.kubeconfig, context: given.context, requestTimeout: given['request-timeout'] ?? '5s' };

  if (pendingValue) return valuesFor(pendingValue, current, '', client);
  if (current.startsWith('--') && current.includes('=')) {
    const [name, value = ''] = splitFlag(current);
    const flag = flags.get(name);
    if (flag?.takesValue) return valuesFor(flag, value, `${name}=`, client);
    return none();
  }
  if (current.startsWith('-')) {
    const names = [...new Set([...flags.values()].filter((f) => !f.hidden && (f.array || !used.has(f.name))).map((f) => `--${f.name}`))];
    return list([...names, '--help'].filter((n) => n.startsWith(current)).sort());
  }
  if (!command) return list(Object.keys(COMMANDS).filter((c) => c.startsWith(current)));
  if (command === 'completion' && positionals === 0) return list(['bash', 'zsh'].filter((s) => s.startsWith(current)));
  // report's DOCUMENT: a file the shell completes.
  if (command === 'report' && positionals === 0) return { kind: 'list', candidates: [], directive: DIRECTIVE.default };
  return none();
}

function valuesFor(flag: Flag, partial: string, prefix: string, client: ClientOptions): CompletionPlan {
  const source: ValueSource = flag.choices ?? VALUE_SOURCES[flag.name] ?? 'none';
  if (source === 'nodes') {
    // A comma-separated list: complete its last name, keep the ones before.
    const comma = partial.lastIndexOf(',');
    return { kind: 'lookup', source, partial: partial.slice(comma + 1), prefix: prefix + partial.slice(0, comma + 1), client };
  }
  if (source === 'contexts') return { kind: 'lookup', source, partial, prefix, client };
  if (source === 'files') return { kind: 'list', candidates: [], directive: DIRECTIVE.default };
  if (source === 'dirs') return { kind: 'list', candidates: [], directive: DIRECTIVE.filterDirs };
  if (source === 'none') return none();
  return list(source.filter((v) => v.startsWith(partial)).map((v) => prefix + v));
}

/** What a lookup found, as the plan's final list. */
export function completeLookup(plan: Extract<CompletionPlan, { kind: 'lookup' }>, found: string[]): { candidates: string[]; directive: number } {
  return { candidates: found.filter((n) => n.startsWith(plan.partial)).sort().map((n) => plan.prefix + n), directive: DIRECTIVE.noFileComp };
}

export function formatCompletion({ candidates, directive }: { candidates: string[]; directive: number }): string {
  return `${[...candidates, `:${directive}`].join('\n')}\n`;
}

function splitFlag(word: string): [string, string | undefined] {
  const eq = word.indexOf('=');
  return eq === -1 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
}

const list = (candidates: string[]): CompletionPlan => ({ kind: 'list', candidates, directive: DIRECTIVE.noFileComp });
const none = (): CompletionPlan => list([]);
