// -o json|yaml: exactly one document on stdout, naming its kind and version as kubectl's
// documents do (apiVersion, kind), so that a script can tell what it reads and when it changes.
// The fields of each kind: docs/output.md. yaml loads only when asked for.
export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';

export type DocumentKind = 'Verify' | 'VerifyImages' | 'VerifyPlan' | 'Audit' | 'Status' | 'Cleanup' | 'Explain' | 'PolicyList' | 'Version';

/**
 * Each kind's version, as kubectl's kinds each have theirs. Verify is v3: since v2 (reasons as
 * codes with fields, warnings as codes, `disagreement` an object), a checked change's `proposal`
 * and each node's `now`, `probeConfig` and `fingerprint`.
 */
export const DOCUMENT_VERSIONS: Record<DocumentKind, string> = {
  Verify: 'oc-icsp/v3',
  /** verify with several images: each image's outcomes, nodes grouped (report/images-report.ts). */
  VerifyImages: 'oc-icsp/v1',
  VerifyPlan: 'oc-icsp/v1',
  Audit: 'oc-icsp/v1',
  Status: 'oc-icsp/v1',
  Cleanup: 'oc-icsp/v1',
  Explain: 'oc-icsp/v1',
  PolicyList: 'oc-icsp/v1',
  Version: 'oc-icsp/v1',
};

/** -o json or -o yaml: one document. */
export const isDocumentFormat = (format: OutputFormat): format is 'json' | 'yaml' => format === 'json' || format === 'yaml';
/** -o table or -o wide: for people (and the talk on stderr that goes with a table). */
export const isTableFormat = (format: OutputFormat): format is 'table' | 'wide' => format === 'table' || format === 'wide';

export async function renderDocument(kind: DocumentKind, value: object, format: 'json' | 'yaml'): Promise<string> {
  const document = documentObject(kind, value);
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  const { stringify } = await import('yaml');
  return stringify(document, { lineWidth: 0 });
}

/**
 * The run's facts, in the documents of verify and audit (and the footer of their page): the
 * client and the cluster it was pointed at, the plugin, and when.
 */
export interface RunFacts {
  client: string;
  /** The kubeconfig's context and its server; null where the client could not say. */
  context: string | null;
  server: string | null;
  plugin: string;
  startedAt: string;
  finishedAt: string;
}

/** A document as an object: its version and kind, then its fields. */
export function documentObject(kind: DocumentKind, value: object): { apiVersion: string; kind: DocumentKind } {
  return { apiVersion: DOCUMENT_VERSIONS[kind], kind, ...value };
}
