// Light nodes (the benches): a pod plays recorded node output instead of running anything. With
// only a log, every pod plays it whole. With `survey` and `read`, a pod plays what its command
// asks: a composed run's survey (a real survey log, its fingerprint made the node's group's), or
// a read of each image asked (the first image's part of a real read log, said of each image, one
// every `msPerImage`). The rig's own: no upstream behaviour is modelled beyond the recorded lines.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Settings } from '../model.js';

export interface LightPlay {
  /** Played at once. */
  head: string;
  /** Each played after its delay. */
  parts: { delayMs: number; text: string }[];
}

const MARK = '::oc-icsp:: ';

/** The node script's arguments in a pod's command: after `-c SCRIPT oc-icsp`. */
function scriptArgs(command: string[]): { images: string[]; hosts: string[] | null; compare: boolean } | null {
  const at = command.findIndex((a, i) => a === 'oc-icsp' && command[i - 2] === '-c');
  if (at === -1) return null;
  const compare = (command[at + 4] ?? '').startsWith('# oc-icsp: compare');
  const rest = command.slice(at + 7);
  const first = rest.indexOf('--');
  const images = first === -1 ? rest : rest.slice(0, first);
  const second = first === -1 ? -1 : rest.indexOf('--', first + 1);
  return { images, hosts: second === -1 ? null : rest.slice(second + 1), compare };
}

/** A node's group: its name's number, modulo the groups (worker-7 of 3 groups is in group 1). */
const groupOf = (node: string, groups: number) => Number(/(\d+)$/.exec(node)?.[1] ?? 0) % groups;

export function lightPlay(light: NonNullable<Settings['light']>, command: string[], node: string): LightPlay {
  const args = scriptArgs(command);
  if (args?.compare && !light.read) return { head: twoPasses(readFileSync(light.log, 'utf8')), parts: [] };
  if (!args || (!light.survey && !light.read)) return { head: readFileSync(light.log, 'utf8'), parts: [] };
  if (args.hosts && light.survey) {
    const digest = createHash('sha256').update(`group-${groupOf(node, light.survey.groups)}`).digest('hex');
    const text = readFileSync(light.survey.log, 'utf8').replace(/^::oc-icsp:: fingerprint \S+$/m, `${MARK}fingerprint ${digest}`);
    return { head: text, parts: [] };
  }
  if (!light.read) return { head: readFileSync(light.log, 'utf8'), parts: [] };
  const lines = readFileSync(light.read.log, 'utf8').split('\n');
  const starts = lines.flatMap((l, i) => (l.startsWith(`${MARK}image `) ? [i] : []));
  const first = starts[0]!;
  const end = starts[1] ?? lines.findIndex((l, i) => i > first && l.startsWith(`${MARK}pull-exit`)) + 1;
  const last = starts.at(-1)!;
  const tail = lines.findIndex((l, i) => i > last && l.startsWith(`${MARK}pull-exit`)) + 1;
  const part = lines.slice(first, end).join('\n');
  const recorded = /\/([^/@]+)@/.exec(light.read.image)![1]!;
  const said = (image: string) => part.replaceAll(`/${recorded}@`, `/${/\/([^/@]+)@/.exec(image)?.[1] ?? recorded}@`);
  return {
    head: `${lines.slice(0, first).join('\n')}\n`,
    parts: [...args.images.map((image) => ({ delayMs: light.read!.msPerImage, text: `${said(image)}\n` })), { delayMs: 0, text: lines.slice(tail).join('\n') }],
  };
}

/** --compare: the recorded log's reads played twice, the second after `pass proposed` (pulls.sh). */
function twoPasses(log: string): string {
  const lines = log.split('\n');
  const first = lines.findIndex((l) => l.startsWith(`${MARK}image `));
  const last = lines.findLastIndex((l) => l.startsWith(`${MARK}pull-exit`));
  if (first === -1 || last === -1) return log;
  const reads = lines.slice(first, last + 1);
  return [...lines.slice(0, first), ...reads, `${MARK}pass proposed`, ...reads, `${MARK}pass end`, ...lines.slice(last + 1)].join('\n');
}
