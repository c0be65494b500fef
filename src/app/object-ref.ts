// --without TYPE/NAME: an object a proposed change deletes, named as kubectl names it. Light: the
// command line parses it before anything else loads.
import { UserError } from '../errors.js';

export interface ObjectRef {
  kind: string;
  name: string;
}

// kubectl's names for the kinds a change may delete: plural, singular and short names, each with
// or without its group, as their CRDs declare them (openshift/api zz_generated.crd-manifests: idms
// and itms are short names; ImageContentSourcePolicy has none, and `icsp` is taken here as the
// name everyone uses for it, though kubectl would not).
export const TYPES: Record<string, { kind: string; group: string; names: string[]; short?: string }> = {
  ImageContentSourcePolicy: { kind: 'ImageContentSourcePolicy', group: 'operator.openshift.io', names: ['imagecontentsourcepolicies', 'imagecontentsourcepolicy', 'icsp'] },
  ImageDigestMirrorSet: { kind: 'ImageDigestMirrorSet', group: 'config.openshift.io', names: ['imagedigestmirrorsets', 'imagedigestmirrorset', 'idms'], short: 'idms' },
  ImageTagMirrorSet: { kind: 'ImageTagMirrorSet', group: 'config.openshift.io', names: ['imagetagmirrorsets', 'imagetagmirrorset', 'itms'], short: 'itms' },
  ClusterImagePolicy: { kind: 'ClusterImagePolicy', group: 'config.openshift.io', names: ['clusterimagepolicies', 'clusterimagepolicy'] },
};

/** --without TYPE/NAME as kubectl names it (`idms/x`, `imagedigestmirrorset.config.openshift.io/x`). */
export function parseWithout(text: string): ObjectRef {
  const slash = text.indexOf('/');
  const type = slash === -1 ? '' : text.slice(0, slash).toLowerCase();
  const name = slash === -1 ? '' : text.slice(slash + 1);
  const found = Object.values(TYPES).find((t) => t.names.some((n) => type === n || type === `${n}.${t.group}`));
  if (!found || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new UserError(
      `--without ${JSON.stringify(text)}: not TYPE/NAME of an object a change deletes (imagecontentsourcepolicy, imagedigestmirrorset, imagetagmirrorset, clusterimagepolicy, or icsp, idms, itms), e.g. --without icsp/my-mirrors`,
    );
  }
  return { kind: found.kind, name };
}

