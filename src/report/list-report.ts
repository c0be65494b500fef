// `list`: one row per policy entry, each mirror on a line of its own; where that table is wider
// than the terminal, one block per entry instead, so nothing is cut.
import type { SignaturePolicyRow } from '../app/policies.js';
import type { CredentialProvider } from '../registries/credential-provider.js';
import type { PolicyRow } from '../app/policy-summary.js';
import { isDocumentFormat, type OutputFormat, renderDocument } from './document.js';
import { fits, renderTable } from './table.js';

/** The short names `oc api-resources` gives these kinds (openshift/api). */
const SHORT: Record<string, string> = { ImageContentSourcePolicy: 'ICSP', ImageDigestMirrorSet: 'IDMS', ImageTagMirrorSet: 'ITMS' };

export async function renderList(rows: PolicyRow[], format: OutputFormat, width?: number, signatures: SignaturePolicyRow[] = [], provider: CredentialProvider | null = null): Promise<string> {
  if (isDocumentFormat(format)) return renderDocument('PolicyList', { policies: rows, signaturePolicies: signatures, credentialProvider: provider && { apiVersion: provider.apiVersion, matchImages: [...provider.matchImages] } }, format);
  const mirrors = rows.length ? await renderMirrors(rows, format, width) : '';
  const parts = [mirrors, signatures.length ? await renderSignatures(signatures, format) : '', provider ? credentialProviderLine(provider) : ''].filter(Boolean);
  return parts.join('\n');
}

/** CRIOCredentialProviderConfig/cluster in one line: whose mirror credentials come from the pod's project. */
export function credentialProviderLine(provider: CredentialProvider): string {
  const images = provider.matchImages.length ? provider.matchImages.join(', ') : 'no image (matchImages is empty)';
  return `CRI-O credential provider (CRIOCredentialProviderConfig/cluster, ${provider.apiVersion}): pods get the mirror credentials of ${images} from their own project; a pull on the node for no pod does not\n`;
}

/**
 * ClusterImagePolicy and ImagePolicy objects: the scopes whose pulls need a signature, and what
 * it is checked against. The release's own `openshift` policy is named as such.
 */
async function renderSignatures(rows: SignaturePolicyRow[], format: OutputFormat): Promise<string> {
  const headers = ['kind', 'name', 'scopes', 'trust root', ...(format === 'wide' ? ['api version'] : [])];
  const table = rows.map((r) => {
    const name = `${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.builtIn ? ' (the release\'s own)' : ''}`;
    return [r.kind, name, r.scopes.join('\n'), r.root ?? '-', ...(format === 'wide' ? [r.apiVersion] : [])];
  });
  return `signature policies (pulls of these scopes need a signature, on every node):\n${await renderTable(headers, table)}`;
}

async function renderMirrors(rows: PolicyRow[], format: OutputFormat, width?: number): Promise<string> {
  const headers = ['kind', 'name', 'source', 'mirrors', 'pull', 'source policy'];
  const table = rows.map((r) => [format === 'wide' ? r.kind : (SHORT[r.kind] ?? r.kind), r.name, r.source, r.mirrors.join('\n') || '-', r.pull, r.sourcePolicy]);
  // A folded cell is as wide as its longest line.
  const widest = [headers.map((_, i) => longestLine(table.map((r) => r[i]!)))];
  if (format === 'wide' || fits(headers, widest, { maxWidth: width })) {
    return renderTable(headers, table);
  }
  return rows
    .map((r) => [`${SHORT[r.kind] ?? r.kind}/${r.name}: ${r.pull} pulls, ${r.sourcePolicy}`, `  ${r.source}`, ...(r.mirrors.length ? r.mirrors.map((m, i) => `    ${i + 1} ${m}`) : ['    (no mirrors)'])].join('\n'))
    .join('\n')
    .concat('\n');
}

function longestLine(cells: string[]): string {
  return cells.flatMap((c) => c.split('\n')).reduce((a, b) => (b.length > a.length ? b : a), '');
}
