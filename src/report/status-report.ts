// `status` as two tables (pools, then nodes) or one document.
import type { StatusResult } from '../app/status.js';
import { type Paint, plain } from './colors.js';
import { isDocumentFormat, type OutputFormat, renderDocument } from './document.js';
import { statusDocument } from './public-documents.js';
import { credentialProviderLine } from './list-report.js';
import { renderTable } from './table.js';

/**
 * Pools, then nodes. At the terminal's width the node table shows one CONFIG column (the current
 * rendered config, or current -> desired while a node updates), cut where it must be; each node
 * still updating gets a line under the table with both names in full.
 */
export async function renderStatus(result: StatusResult, format: OutputFormat, paint: Paint = plain, width?: number): Promise<string> {
  if (isDocumentFormat(format)) return renderDocument('Status', statusDocument(result), format);
  const wide = format === 'wide';
  const pools = await renderTable(
    ['pool', 'updated', 'ready', 'degraded', 'unavailable', 'updating', 'registries.conf', ...(wide ? ['config', 'message'] : [])],
    result.pools.map((p) => [
      p.name,
      `${p.updatedMachineCount}/${p.machineCount}`,
      String(p.readyMachineCount),
      p.degraded ? paint(String(p.degradedMachineCount), 'red') : String(p.degradedMachineCount),
      String(p.unavailableMachineCount),
      p.updating ? paint('True', 'yellow') : 'False',
      registriesText(p.registries),
      ...(wide ? [p.currentConfig === p.desiredConfig ? (p.desiredConfig ?? '-') : `${p.currentConfig ?? '-'} -> ${p.desiredConfig ?? '-'}`, p.message ?? '-'] : []),
    ]),
    { maxWidth: wide ? undefined : width, shrinkable: [6] },
  );
  if (wide) {
    const nodes = await renderTable(
      ['node', 'pool', 'current', 'desired', 'state', 'up to date'],
      result.nodes.map((n) => [n.name, n.pool ?? '-', n.currentConfig ?? '-', n.desiredConfig ?? '-', n.state ?? '-', n.upToDate ? 'yes' : paint('no', 'yellow')]),
    );
    return `${result.pools.length ? `${pools}\n` : ''}${nodes}`;
  }
  const config = (n: StatusResult['nodes'][number]) => (n.currentConfig === n.desiredConfig ? (n.currentConfig ?? '-') : `${n.currentConfig ?? '-'} -> ${n.desiredConfig ?? '-'}`);
  const nodes = await renderTable(
    ['node', 'pool', 'state', 'updated', 'config'],
    result.nodes.map((n) => [n.name, n.pool ?? '-', n.state ?? '-', n.upToDate ? 'yes' : paint('no', 'yellow'), config(n)]),
    { maxWidth: width, shrinkable: [4], minCell: 8 },
  );
  const updating = result.nodes.filter((n) => n.currentConfig !== n.desiredConfig).map((n) => `${n.name}: ${n.currentConfig ?? '-'} -> ${n.desiredConfig ?? '-'}`);
  return `${result.pools.length ? `${pools}\n` : ''}${nodes}${updating.length ? `\n${updating.join('\n')}\n` : ''}${signatureLines(result)}`;
}

/** Which pulls every node verifies: the policies the pools render into policy.json. */
function signatureLines(result: StatusResult): string {
  const provider = result.credentialProvider ? `\n${credentialProviderLine(result.credentialProvider)}` : '';
  if (result.signaturePolicies.length === 0) return provider;
  const lines = result.signaturePolicies.map((p) => {
    const name = `${p.kind}/${p.namespace ? `${p.namespace}/` : ''}${p.name}${p.builtIn ? " (the release's own)" : ''}`;
    return `  ${name}: ${p.scopes.join(', ')} (${p.root ?? 'no trust root'}, ${p.apiVersion})`;
  });
  return `\nsignatures required (a mirror must serve each image's sha256-<digest>.sig beside it):\n${lines.join('\n')}\n${provider}`;
}

function registriesText(r: StatusResult['pools'][number]['registries']): string {
  if (r === null) return 'unreadable';
  if (!r.present) return 'missing';
  if (r.matchesPolicies === null) return 'present';
  return r.matchesPolicies ? 'matches policies' : 'differs from policies';
}
