// The cluster's mirror policies, read through the client and checked like files are.
import { getCredentialProviderConfig, getImageConfig, IMAGE_POLICY_RESOURCES, listImagePolicyObjects, listPolicyObjects, POLICY_RESOURCES } from '../oc/cluster.js';
import type { ImagePolicyKind } from '../registries/image-policies.js';
import type { OcRunner } from '../oc/runner.js';
import { type PolicyKind, type PolicySet, readPolicies } from '../registries/policies.js';
import { settledInOrder } from './settled-in-order.js';

type Objects = Record<string, unknown>[];

export async function readClusterPolicies(oc: OcRunner): Promise<PolicySet> {
  const mirrorKinds = Object.keys(POLICY_RESOURCES) as PolicyKind[];
  const signatureKinds = Object.keys(IMAGE_POLICY_RESOURCES) as ImagePolicyKind[];
  const kinds = [...mirrorKinds, ...signatureKinds];
  // Every read at once (each is a client process); a failure is still reported in this order.
  const reads = [...mirrorKinds.map((kind) => listPolicyObjects(oc, kind)), ...signatureKinds.map((kind) => listImagePolicyObjects(oc, kind))];
  const [lists, imageConfig, provider] = await settledInOrder<[Objects[], Record<string, unknown> | null, Record<string, unknown> | null]>([
    settledInOrder<Objects[]>(reads),
    getImageConfig(oc),
    getCredentialProviderConfig(oc),
  ]);
  const objects = [
    ...lists.flatMap((items, i) => items.map((object) => ({ origin: 'cluster', object: { kind: kinds[i], ...object } }))),
    ...(imageConfig ? [{ origin: 'cluster', object: imageConfig }] : []),
    ...(provider ? [{ origin: 'cluster', object: { kind: 'CRIOCredentialProviderConfig', ...provider } }] : []),
  ];
  return readPolicies(objects);
}
