// The cluster proxy the node's CRI-O uses (/etc/mco/proxy.env): which mirrors the node reaches
// through it. A failing mirror's advice depends on it (pull-log/verdict.ts reads the raw env).
import { hostOf, proxyFor } from '../../pull-log/hints.js';
import type { NodeFact } from '../fact.js';
import SCRIPT from './proxy.sh';

export interface ProxyReport {
  used: boolean;
  httpsProxy: string | null;
  noProxy: string | null;
  /** Mirrors this node reaches through the proxy (not in NO_PROXY). */
  mirrorsThroughProxy: string[];
}

/** The proxy.env variables, a password in a URL replaced; null without the file. */
export type ProxyEnv = Record<string, string> | null;

export const proxy: NodeFact<'proxy', ProxyEnv, ProxyReport | null> = {
  key: 'proxy',
  fromFiles: true,
  stage: 'prelude',
  script: SCRIPT,
  marks: ['proxy'],
  sections: [],
  reader() {
    let env: Record<string, string> | null = null;
    return {
      mark(_word, [name, ...value]) {
        env ??= {};
        if (name) env[name] = value.join(' ');
      },
      line() {},
      result: () => (env ? { ...env } : null),
    };
  },
  result(env, { verdict }) {
    if (!env) return null;
    const httpsProxy = env.HTTPS_PROXY || env.HTTP_PROXY || null;
    const mirrorHosts = verdict.attempts.filter((a) => a.mirror).map((a) => hostOf(a.reference));
    return {
      used: httpsProxy !== null,
      httpsProxy,
      noProxy: env.NO_PROXY || null,
      mirrorsThroughProxy: [...new Set(mirrorHosts.filter((h) => proxyFor(env, h) !== null))],
    };
  },
};
