// -f FILE: mirror-policy and signature-policy objects from YAML (multi-document) or JSON files, `kind: List` flattened.
import { UserError } from '../errors.js';
import { readText } from './files.js';
import { isImagePolicyKind } from '../registries/image-policies.js';
import { isPolicyKind, type PolicySet, readPolicies } from '../registries/policies.js';

export async function readManifestFiles(paths: string[], { requirePolicy = true } = {}): Promise<PolicySet> {
  // Loaded on demand: explain --registries-conf and verify never read manifests.
  const { parseAllDocuments } = await import('yaml');
  const objects: { origin: string; object: unknown }[] = [];
  for (const path of paths) {
    const found = readManifestFile(path, parseAllDocuments);
    const relevant = found.filter(({ object }) => isPolicyKind(kindOf(object)) || isImagePolicyKind(kindOf(object)) || (kindOf(object) === 'Image' && nameOf(object) === 'cluster'));
    if (relevant.length === 0 && requirePolicy) {
      throw new UserError(
        `${path}: no ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet, ClusterImagePolicy, ImagePolicy or images.config.openshift.io/cluster in it`,
      );
    }
    objects.push(...relevant);
  }
  return readPolicies(objects);
}

function readManifestFile(path: string, parseAllDocuments: typeof import('yaml').parseAllDocuments): { origin: string; object: unknown }[] {
  const text = readText(path);
  // JSON is YAML; one parser reads both.
  const documents = parseAllDocuments(text);
  const out: { origin: string; object: unknown }[] = [];
  for (const doc of Array.isArray(documents) ? documents : [documents]) {
    const error = doc.errors[0];
    if (error) {
      // yaml's message ends "at line L, column C:" and shows the text on further lines: one line here.
      // Where the parser stopped may be past the end: the last line with text up to there is the culprit.
      const said = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:$/, '');
      const lines = text.split('\n');
      let at = Math.min(error.linePos?.[0].line ?? 0, lines.length);
      while (at > 1 && (lines[at - 1] ?? '').trim() === '') at--;
      throw new UserError(`${path}: not valid YAML or JSON: ${said}${at > 0 ? ` (line ${at}: ${JSON.stringify((lines[at - 1] ?? '').trim())})` : ''}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const items = kindOf(value) === 'List' || /List$/.test(String(kindOf(value))) ? ((value as { items?: unknown[] }).items ?? []) : [value];
    for (const item of items) out.push({ origin: path, object: item });
  }
  return out;
}

function kindOf(object: unknown): unknown {
  return typeof object === 'object' && object !== null ? (object as { kind?: unknown }).kind : undefined;
}

function nameOf(object: unknown): unknown {
  return typeof object === 'object' && object !== null ? (object as { metadata?: { name?: unknown } }).metadata?.name : undefined;
}
