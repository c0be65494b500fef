// A pull made through CRI-O (crictl), as the verdict reads pulls: its attempts from CRI-O's
// journal, their errors from CRI-O's own error text (Mirrors also failed: …), its outcome from
// crictl's exit. Then the same verdicts and reasons as a podman pull.
import { applyPullError, imagePullError } from './crio-journal.js';
import type { CrioImagePull, ImagePull, PullEvidence } from './evidence.js';

export function crioImagePull(c: CrioImagePull): ImagePull {
  const attempts = (c.journal?.attempts ?? []).map((a) => ({ ...a }));
  const error = c.error === null ? null : imagePullError(c.error);
  if (c.exitCode !== 0 && error) applyPullError(attempts, error);
  const pulled = c.exitCode === 0;
  return {
    image: c.image,
    presentBefore: null,
    exitCode: c.exitCode,
    removed: null,
    log: {
      attempts: attempts.map((a, i) => {
        const ok = pulled && i === attempts.length - 1;
        // An info-level journal names no error for a failed attempt: 'other' then.
        return { reference: a.reference, ok, reason: ok ? null : (a.reason ?? 'other'), message: a.message };
      }),
      pulled,
      error: pulled ? null : error,
      registriesFiles: [],
    },
  };
}

/** The evidence as if CRI-O's pulls were the node's pulls. */
export function asCrioEvidence(evidence: PullEvidence, crio: CrioImagePull[]): PullEvidence {
  return { ...evidence, pulls: crio.map(crioImagePull) };
}
