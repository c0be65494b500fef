// A release payload's images, as `oc adm release info -o json [PULLSPEC]` gives them
// (openshift/oc pkg/cli/admin/release/info.go): ReleaseInfo's `image` (the payload itself, which
// nodes pull too) and `references`, an ImageStream whose spec.tags[].from names each component
// when its kind is DockerImage (describeImage's -o pullspec takes the same). With no PULLSPEC oc
// reads the cluster's own release (ClusterVersion status.desired.image, replaceClusterSemanticArgs).
// kubectl has no such verb.
import { UserError } from '../errors.js';
import { clientJson, firstErrorLine } from './client-talk.js';
import type { OcRunner } from './runner.js';

export const releaseInfoArgs = (pullspec: string | undefined): string[] => ['adm', 'release', 'info', '-o', 'json', ...(pullspec ? [pullspec] : [])];

interface ReleaseInfo {
  image?: string;
  references?: { spec?: { tags?: { from?: { kind?: string; name?: string } }[] } };
}

/** The payload first, then each component, each once. */
export function releaseImagesOf(info: ReleaseInfo): string[] {
  const components = (info.references?.spec?.tags ?? []).flatMap((t) => (t.from?.kind === 'DockerImage' && t.from.name ? [t.from.name] : []));
  return [...new Set([...(info.image ? [info.image] : []), ...components])];
}

export async function releaseImages(oc: OcRunner, pullspec: string | undefined): Promise<string[]> {
  const result = await oc.run(releaseInfoArgs(pullspec));
  const what = pullspec ? `the release ${pullspec}` : "the cluster's release";
  if (result.failedToStart) throw new UserError(`cannot read ${what}: ${result.failedToStart}`);
  if (result.exitCode !== 0) {
    throw new UserError(
      `cannot read ${what} (oc adm release info): ${firstErrorLine(result.stderr)}: where the workstation cannot reach the release's registry, name the release on the mirror: --release MIRROR/REPOSITORY@sha256:...`,
    );
  }
  const images = releaseImagesOf(clientJson(result.stdout, `read ${what}`) as ReleaseInfo);
  if (images.length < 2) throw new UserError(`${what} names no component images (oc adm release info -o json has no references)`);
  return images;
}
