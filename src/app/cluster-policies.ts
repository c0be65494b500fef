// The cluster's mirror policies, read through the client and checked like files are.
import { getImageConfig, listPolicyObjects, POLICY_RESOURCES } from '../oc/cluster.js';
import type { OcRunner } from '../oc/runner.js';
import { type PolicyKind, type PolicySet, readPolicies } from '../registries/policies.js';

export async function readClusterPolicies(oc: OcRunner): Promise<PolicySet> {
  const kinds = Object.keys(POLICY_RESOURCES) as PolicyKind[];
  // Every read at once (each is a client process); a failure is still reported in this order.
  const config = getImageConfig(oc);
  config.catch(() => {});
  const lists = await Promise.all(kinds.map((kind) => listPolicyObjects(oc, kind)));
  const imageConfig = await config;
  const objects = [
    ...lists.flatMap((items, i) => items.map((object) => ({ origin: 'cluster', object: { kind: kinds[i], ...object } }))),
    ...(imageConfig ? [{ origin: 'cluster', object: imageConfig }] : []),
  ];
  return readPolicies(objects);
}
