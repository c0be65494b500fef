// How we were started: as `oc icsp` or `kubectl icsp` (the plugin executable's name), or as a
// completion helper. oc and kubectl exec a plugin with argv[0] set to its full path; the
// single binary sees that path as process.argv0, the Node bundle as argv[1], and the archive's
// launcher script passes its own $0 along.
import { basename } from 'node:path';

import type { ClientKind } from '../oc/client.js';

export type ClientName = ClientKind;

export interface Invocation {
  /** The client the user typed, preferred when both are on PATH. */
  client: ClientName;
  /** For help and usage lines: `oc icsp` or `kubectl icsp`. */
  name: string;
  /** Started as `kubectl_complete-icsp` or `oc_complete-icsp`. */
  completionHelper: boolean;
}

const PLUGIN = /^(oc|kubectl)(-|_complete-)icsp$/;

export function invocationFrom(candidates: (string | undefined)[]): Invocation {
  for (const candidate of candidates) {
    const match = candidate ? PLUGIN.exec(basename(candidate)) : null;
    if (match) return { client: match[1] as ClientName, name: `${match[1]} icsp`, completionHelper: match[2] === '_complete-' };
  }
  return { client: 'oc', name: 'oc icsp', completionHelper: false };
}

export function processInvocation(): Invocation {
  return invocationFrom([process.env.OC_ICSP_ARGV0, process.argv0, process.argv[1]]);
}
