// audit's findings in words, from their codes (app/audit.ts Finding): one place, keyed by kind.
import type { Finding } from '../app/audit.js';
import { coveredWords, mismatchWords } from '../pull-log/expectation-words.js';

type Words<F> = (finding: F) => string;
const CATALOGUE: { [K in Finding['kind']]: Words<Extract<Finding, { kind: K }>> } = {
  'tag-under-digest-only': (f) => mismatchWords({ coveredBy: [], mismatch: { kind: 'tag-pull-digest-mirrors', policies: f.policies } })!,
  'silent-fallback': (f) => {
    const tried = f.mirrorsTried.length ? `after ${f.mirrorsTried.length} mirror(s) failed (${f.mirrorsTried.join(', ')})` : 'with no mirror tried';
    return `served by the source ${tried}, although ${coveredWords(f)}`;
  },
  'failed-on-every-mirror': (f) => `${f.mirrors} mirror(s) tried, none served it${f.error ? `: ${f.error}` : ''}`,
  'signature-refused': (f) =>
    `${f.missing ? 'no signature' : 'its signature was refused'} on ${f.mirror ? 'mirror' : 'the source'} ${f.endpoint}, which served the manifest: CRI-O tried nothing after it${f.error ? ` (${f.error})` : ''}`,
};

export function findingWords(finding: Finding): string {
  return (CATALOGUE[finding.kind] as Words<Finding>)(finding);
}
