// The node's registries.conf and drop-ins as they are now, and whether they resolve each image as
// the cluster's policies say they should. Compared by the sources a pull would try
// (containers/image's rules over the node's files), not by the files' bytes: the MCO formats as
// it likes, and a node may carry the 4.12 mirror-by-digest-only form.
import type { ImageReference } from '../../registries/reference.js';
import { type ConfFile, loadRegistriesConf, type RegistriesConf } from '../../registries/registries-conf.js';
import { resolvePullSources } from '../../registries/resolve.js';
import type { NodeFact } from '../fact.js';
import SCRIPT from './registries-conf.sh';

export interface SourceView {
  reference: string;
  mirror: boolean;
  blocked: boolean;
  insecure: boolean;
}

export interface ConfigComparison {
  matchesCluster: boolean;
  /** What the node's files give, in order. */
  sources: SourceView[];
  /** What the cluster's policies, rendered as the MCO does, give. */
  expected: SourceView[];
  /** The node's files could not be read or resolved. */
  problem: string | null;
}

/** `images`: a run of several images folded the node's warnings for each into one (app/warnings.ts). */
export type ConfigWarning = { code: 'config-differs'; node: string; image: string | null; images?: number };

export const MAIN_REGISTRIES_CONF = '/etc/containers/registries.conf';
// A node's registries.conf is small; this only guards memory against a runaway file.
const MAX_FILE_TEXT = 1 << 20;

export function sourcesOf(conf: RegistriesConf, ref: ImageReference): SourceView[] {
  return resolvePullSources(conf, ref).sources.map(({ reference, mirror, blocked, insecure }) => ({ reference, mirror, blocked, insecure }));
}

// The node's files are parsed once for all the images checked.
const loaded = new WeakMap<ConfFile[], RegistriesConf | Error>();
function nodeConf(files: ConfFile[]): RegistriesConf | Error {
  let conf = loaded.get(files);
  if (!conf) {
    try {
      const main = files.find((f) => f.path === MAIN_REGISTRIES_CONF);
      conf = loadRegistriesConf(main, files.filter((f) => f !== main));
    } catch (error) {
      conf = error as Error;
    }
    loaded.set(files, conf);
  }
  return conf;
}

/** The sources the node's own files give the image, in order (null: no files, or they cannot be read). */
export function nodeSources(files: ConfFile[], ref: ImageReference): string[] | null {
  if (files.length === 0) return null;
  const conf = nodeConf(files);
  try {
    return conf instanceof Error ? null : sourcesOf(conf, ref).map((s) => s.reference);
  } catch {
    return null;
  }
}

/** null when the node sent no files or the cluster's expectation is unknown. */
export function compareNodeConfig(files: ConfFile[], expected: RegistriesConf | null, ref: ImageReference): ConfigComparison | null {
  if (files.length === 0 || expected === null) return null;
  let want: SourceView[];
  try {
    want = sourcesOf(expected, ref);
  } catch {
    return null;
  }
  try {
    const conf = nodeConf(files);
    if (conf instanceof Error) throw conf;
    const have = sourcesOf(conf, ref);
    return { matchesCluster: JSON.stringify(have) === JSON.stringify(want), sources: have, expected: want, problem: null };
  } catch (error) {
    return { matchesCluster: false, sources: [], expected: want, problem: (error as Error).message };
  }
}

export const registriesConf: NodeFact<'config', ConfFile[], ConfigComparison | null, ConfigWarning> = {
  key: 'config',
  fromFiles: true,
  stage: 'epilogue',
  script: SCRIPT,
  marks: [],
  sections: ['file'],
  reader() {
    const files: ConfFile[] = [];
    return {
      mark() {},
      open: (_section, path) => void files.push({ path: path.join(' '), text: '' }),
      line(_section, text) {
        const file = files.at(-1)!;
        if (file.text.length < MAX_FILE_TEXT) file.text += `${text}\n`;
      },
      result: () => files.map((f) => ({ ...f })),
    };
  },
  expectation: (files, { expected, ref }) => ({
    configMatches: compareNodeConfig(files, expected, ref)?.matchesCluster ?? null,
    nodeSources: nodeSources(files, ref),
  }),
  result: (files, { expected, ref }) => compareNodeConfig(files, expected, ref),
  warnings: (config, { node, image, verdict, severalImages }) =>
    verdict.verdict === 'mirrored' && config?.matchesCluster === false ? [{ code: 'config-differs', node, image: severalImages ? image : null }] : [],
};
