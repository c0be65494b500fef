// explain's notes in words, from their codes (app/explain.ts ExplainNote): one catalogue, keyed
// by code, so a code without words does not compile.
import type { ExplainNote } from '../app/explain.js';

type Words<N> = (note: N) => string;
const CATALOGUE: { [C in ExplainNote['code']]: Words<Extract<ExplainNote, { code: C }>> } = {
  'fails-before-any-source': (n) => `podman fails before trying any source: ${n.error} (check the location and mirrors of ${n.prefix ?? 'the matching entry'})`,
  'no-policy': () => 'no policy covers this reference: it is pulled from its source only',
  'no-mirrors': (n) => `${n.prefix} has no mirrors here`,
  'digest-only-mirrors-skipped': (n) =>
    n.mirrorsApply
      ? `tag reference: ${n.skipped} digest-only mirror(s) skipped; the tag mirrors above (ImageTagMirrorSet) apply`
      : 'tag reference: ICSP/IDMS mirrors apply only to digest pulls; use a digest or an ImageTagMirrorSet',
  'tag-only-mirrors-skipped': () => 'digest reference: ImageTagMirrorSet mirrors apply only to tag pulls; an ImageDigestMirrorSet covers digest pulls',
  'source-blocked': (n) =>
    n.mirrorsApply ? 'source is blocked (NeverContactSource or blockedRegistries): if every mirror fails the pull fails' : 'source is blocked and no mirror applies: this pull always fails',
  'mirror-blocked': (n) => `mirror ${n.mirror} lies in a blocked registry: that attempt always fails`,
  'prefix-defined-twice': (n) => `${n.file} defines prefix ${n.prefix} more than once: containers/image uses the first and ignores the rest`,
  'shorter-prefix-ignored': (n) => `${n.prefix} has mirrors too, but only the longest matching prefix (${n.applies}) applies`,
  'mirror-by-digest-only': (n) => `${n.prefix} uses mirror-by-digest-only = true (as OpenShift 4.12 and earlier render ICSPs)`,
  'signature-required': (n) =>
    `a signature is required: policy.json asks ${n.type}${n.root ? ` (${n.root})` : ''} for ${n.scope === null ? 'every image (its default)' : n.scope === '' ? 'every docker image' : n.scope}; it is read from the source that serves the manifest, and if that one lacks it (or it is refused) the pull fails there: no later mirror, nor the source, is tried`,
  'signature-not-read': (n) => `registries.d does not read sigstore attachments from ${n.source}: a pull it serves fails for want of a signature`,
  'policy-rejects': (n) => `policy.json rejects this image${n.scope ? ` (scope ${n.scope})` : ''}: allowedRegistries or blockedRegistries of image.config.openshift.io/cluster`,
};

export function explainNoteWords(note: ExplainNote): string {
  return (CATALOGUE[note.code] as Words<ExplainNote>)(note);
}

/** Every note code (README's table is held to this list). */
export const EXPLAIN_NOTE_CODES = Object.keys(CATALOGUE) as ExplainNote['code'][];
