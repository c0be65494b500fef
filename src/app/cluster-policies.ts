// The cluster's mirror policies, read through the client and checked like files are.
import { getCredentialProviderConfig, getImageConfig, IMAGE_POLICY_RESOURCES, listImagePolicyObjects, listPolicyObjects, POLICY_RESOURCES } from '../oc/cluster.js';
import type { ImagePolicyKind } from '../registries/image-policies.js';
import type { OcRunner } from '../oc/runner.js';
import { type PolicyKind, type PolicySet, readPolicies } from '../registries/policies.js';

export async function readClusterPolicies(oc: OcRunner): Promise<PolicySet> {
  const kinds = Object.keys(POLICY_RESOURCES) as PolicyKind[];
  const signatureKinds = Object.keys(IMAGE_POLICY_RESOURCES) as ImagePolicyKind[];
  // Every read at once (each is a client process); a failure is still reported in this order.
  const lists = kinds.map((kind) => started(listPolicyObjects(oc, kind)));
  const signatureLists = signatureKinds.map((kind) => started(listImagePolicyObjects(oc, kind)));
  const config = started(getImageConfig(oc));
  const provider = started(getCredentialProviderConfig(oc));
  const objects = [];
  for (const [i, list] of lists.entries()) objects.push(...(await list).map((object) => ({ origin: 'cluster', object: { kind: kinds[i], ...object } })));
  for (const [i, list] of signatureLists.entries()) objects.push(...(await list).map((object) => ({ origin: 'cluster', object: { kind: signatureKinds[i], ...object } })));
  const imageConfig = await config;
  if (imageConfig) objects.push({ origin: 'cluster', object: imageConfig });
  const crioProvider = await provider;
  if (crioProvider) objects.push({ origin: 'cluster', object: { kind: 'CRIOCredentialProviderConfig', ...crioProvider } });
  return readPolicies(objects);
}

/** A read under way whose failure is taken when it is awaited, not as an unhandled rejection before. */
function started<T>(read: Promise<T>): Promise<T> {
  read.catch(() => {});
  return read;
}
