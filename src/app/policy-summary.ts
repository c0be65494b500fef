// Which policies cover an image, and what that means before any node is asked.
import { type MirrorRule, rulesCovering, type SourcePolicy } from '../registries/policies.js';
import type { Expectation } from '../pull-log/evidence.js';
import type { Warning } from './warnings.js';
import { type ImageReference, isDigested, pullString } from '../registries/reference.js';

/** One policy entry, as `list` and verify's header show it. */
export interface PolicyRow {
  kind: string;
  name: string;
  source: string;
  mirrors: string[];
  pull: 'digest' | 'tag';
  sourcePolicy: SourcePolicy;
}

export function policyRow(r: MirrorRule): PolicyRow {
  return {
    kind: r.kind,
    name: r.name,
    source: r.source,
    mirrors: r.mirrors,
    pull: r.pull,
    // ICSP has no field: it always falls back to the source.
    sourcePolicy: r.sourcePolicy ?? 'AllowContactingSource',
  };
}

export function policyRows(rules: MirrorRule[], ref: ImageReference): PolicyRow[] {
  return rulesCovering(rules, ref).map(policyRow);
}

/** What a node should do with this image, per the cluster's policies. */
export function expectationFor(rules: MirrorRule[], ref: ImageReference): Expectation {
  const covering = rulesCovering(rules, ref).filter((r) => r.mirrors.length > 0);
  const digested = isDigested(ref);
  const applicable = covering.filter((r) => (r.pull === 'digest') === digested);
  const names = (list: MirrorRule[]) => [...new Set(list.map((r) => `${r.kind}/${r.name}`))];
  if (applicable.length > 0 || covering.length === 0) return { coveredBy: names(applicable) };
  return { coveredBy: [], mismatch: { kind: digested ? 'digest-pull-tag-mirrors' : 'tag-pull-digest-mirrors', policies: names(covering) } };
}

export function mirrorWarnings(rules: MirrorRule[], ref: ImageReference): Warning[] {
  const { coveredBy, mismatch } = expectationFor(rules, ref);
  const image = pullString(ref);
  if (mismatch) return [mismatch.kind === 'tag-pull-digest-mirrors' ? { code: mismatch.kind, image, policies: mismatch.policies } : { code: mismatch.kind, image, policies: mismatch.policies }];
  if (coveredBy.length === 0) return [{ code: 'image-not-covered', image }];
  return [];
}
