// verify without IMAGE: the images the cluster already runs whose repository a mirror policy
// covers, by digest where the runtime reported one, one per mirrored source, at most `max`.
import type { PodImage } from '../oc/cluster.js';
import { type MirrorRule, rulesCovering } from '../registries/policies.js';
import { type ImageReference, isDigested, parseReference, pullString, referenceName } from '../registries/reference.js';

export interface PickedImage {
  image: string;
  /** The policy source it stands for. */
  source: string;
  /** Where it runs, for the record: namespace/pod. */
  seenIn: string;
}

export function pickImages(pods: PodImage[], rules: MirrorRule[], max: number): PickedImage[] {
  const bySource = new Map<string, PickedImage>();
  for (const pod of [...pods].sort((a, b) => `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`))) {
    const ref = byDigest(pod);
    if (!ref) continue;
    const covering = rulesCovering(rules, ref).filter((r) => r.mirrors.length > 0 && r.pull === (isDigested(ref) ? 'digest' : 'tag'));
    if (covering.length === 0) continue;
    // The longest source is the entry containers/image uses.
    const source = covering.map((r) => r.source).sort((a, b) => b.length - a.length)[0]!;
    const candidate = { image: pullString(ref), source, seenIn: `${pod.namespace}/${pod.pod}` };
    const held = bySource.get(source);
    if (!held || (isDigestString(candidate.image) && !isDigestString(held.image))) bySource.set(source, candidate);
  }
  return [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source)).slice(0, max);
}

/** The spec's repository with the digest the runtime reported; the spec as written otherwise. */
function byDigest(pod: PodImage): ImageReference | null {
  let ref: ImageReference;
  try {
    ref = parseReference(pod.image);
  } catch {
    return null;
  }
  if (ref.digest) return ref;
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(pod.imageID)?.[1];
  if (!digest) return ref;
  return parseReference(`${referenceName(ref)}@${digest}`);
}

function isDigestString(image: string): boolean {
  return image.includes('@sha256:');
}

/** A distinct image running pods use: where it was first seen, and in how many containers. */
export interface RunningImage {
  image: string;
  seenIn: string;
  containers: number;
}

/**
 * --running: every distinct image running pods use (by the digest the runtime reported where it
 * did), split into those a mirror policy serves for their kind of pull and those none does (no
 * policy covers them, or only mirrors of the other kind): the latter are pulled from their source,
 * and fail once the cluster is cut off from it.
 */
export function runningImages(pods: PodImage[], rules: MirrorRule[]): { covered: RunningImage[]; notCovered: RunningImage[] } {
  const byImage = new Map<string, RunningImage>();
  for (const pod of [...pods].sort((a, b) => `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`))) {
    const ref = byDigest(pod);
    if (!ref) continue;
    const image = pullString(ref);
    const held = byImage.get(image);
    if (held) held.containers++;
    else byImage.set(image, { image, seenIn: `${pod.namespace}/${pod.pod}`, containers: 1 });
  }
  const covered: RunningImage[] = [];
  const notCovered: RunningImage[] = [];
  for (const running of [...byImage.values()].sort((a, b) => a.image.localeCompare(b.image))) {
    const ref = parseReference(running.image);
    const serves = rulesCovering(rules, ref).some((r) => r.mirrors.length > 0 && r.pull === (isDigested(ref) ? 'digest' : 'tag'));
    (serves ? covered : notCovered).push(running);
  }
  return { covered, notCovered };
}

