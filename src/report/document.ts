// -o json|yaml: exactly one document on stdout, naming its kind and version as kubectl's
// documents do (apiVersion, kind), so that a script can tell what it reads and when it changes.
// The fields of each kind: docs/output.md. yaml loads only when asked for.
export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';

export const DOCUMENT_API_VERSION = 'oc-icsp/v1';
export type DocumentKind = 'Verify' | 'VerifyPlan' | 'Audit' | 'Status' | 'Cleanup' | 'Explain' | 'PolicyList' | 'Version';

export async function renderDocument(kind: DocumentKind, value: object, format: 'json' | 'yaml'): Promise<string> {
  const document = { apiVersion: DOCUMENT_API_VERSION, kind, ...value };
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  const { stringify } = await import('yaml');
  return stringify(document, { lineWidth: 0 });
}
