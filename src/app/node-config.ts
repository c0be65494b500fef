// Does a node resolve an image as the cluster's policies say it should? Compared by the sources
// a pull would try (containers/image's rules over the node's files), not by the files' bytes:
// the MCO formats as it likes, and a node may carry the 4.12 mirror-by-digest-only form.
import { InputError } from '../errors.js';
import type { PolicySet } from '../registries/policies.js';
import type { ImageReference } from '../registries/reference.js';
import { type ConfFile, loadRegistriesConf, type RegistriesConf } from '../registries/registries-conf.js';
import { renderRegistriesConf } from '../registries/render.js';
import { resolvePullSources } from '../registries/resolve.js';

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

export const MAIN_REGISTRIES_CONF = '/etc/containers/registries.conf';

/** The registries.conf the MCO would write for these policies; null when it would refuse them. */
export function clusterConf(set: PolicySet): RegistriesConf | null {
  try {
    return loadRegistriesConf({ path: '(rendered from the cluster policies)', text: renderRegistriesConf(set) });
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}

export function sourcesOf(conf: RegistriesConf, ref: ImageReference): SourceView[] {
  return resolvePullSources(conf, ref).sources.map(({ reference, mirror, blocked, insecure }) => ({ reference, mirror, blocked, insecure }));
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
    const main = files.find((f) => f.path === MAIN_REGISTRIES_CONF);
    const conf = loadRegistriesConf(main, files.filter((f) => f !== main));
    const have = sourcesOf(conf, ref);
    return { matchesCluster: JSON.stringify(have) === JSON.stringify(want), sources: have, expected: want, problem: null };
  } catch (error) {
    return { matchesCluster: false, sources: [], expected: want, problem: (error as Error).message };
  }
}
