// The cluster's mirror policies, read through the client and checked like files are.
import { getCredentialProviderConfig, getImageConfig, IMAGE_POLICY_RESOURCES, listImagePolicyObjects, listPolicyObjects, POLICY_RESOURCES } from '../oc/cluster.js';
import type { ImagePolicyKind } from '../registries/image-policies.js';
import type { OcRunner } from '../oc/runner.js';
import { type PolicyKind, type PolicySet, readPolicies } from '../registries/policies.js';

export async function readClusterPolicies(oc: OcRunner): Promise<PolicySet> {
  const kinds = Object.keys(POLICY_RESOURCES) as PolicyKind[];
  // Every read at once (each is a client process); a failure is still reported in this order.
  const config = getImageConfig(oc);
  config.catch(() => {});
  const signatureKinds = Object.keys(IMAGE_POLICY_RESOURCES) as ImagePolicyKind[];
  const lists = await Promise.all(kinds.map((kind) => listPolicyObjects(oc, kind)));
  const signatureLists = await Promise.all(signatureKinds.map((kind) => listImagePolicyObjects(oc, kind)));
  const imageConfig = await config;
  const provider = await getCredentialProviderConfig(oc);
  const objects = [
    ...lists.flatMap((items, i) => items.map((object) => ({ origin: 'cluster', object: { kind: kinds[i], ...object } }))),
    ...signatureLists.flatMap((items, i) => items.map((object) => ({ origin: 'cluster', object: { kind: signatureKinds[i], ...object } }))),
    ...(imageConfig ? [{ origin: 'cluster', object: imageConfig }] : []),
    ...(provider ? [{ origin: 'cluster', object: { kind: 'CRIOCredentialProviderConfig', ...provider } }] : []),
  ];
  return readPolicies(objects);
}
