// What the cluster's policies render to, as the MCO would write registries.conf: what each node's
// own files are held to (node-check/facts/registries-conf.ts compares them).
import { InputError } from '../errors.js';
import type { PolicySet } from '../registries/policies.js';
import { loadRegistriesConf, type RegistriesConf } from '../registries/registries-conf.js';
import { renderRegistriesConf } from '../registries/render.js';

export { MAIN_REGISTRIES_CONF, sourcesOf } from '../node-check/facts/registries-conf.js';

/** The registries.conf the MCO would write for these policies; null when it would refuse them. */
export function clusterConf(set: PolicySet): RegistriesConf | null {
  try {
    return loadRegistriesConf({ path: '(rendered from the cluster policies)', text: renderRegistriesConf(set) });
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}
