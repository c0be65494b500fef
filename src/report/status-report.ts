// `status` as two tables (pools, then nodes) or one document.
import type { StatusResult } from '../app/status.js';
import { type Paint, plain } from './colors.js';
import { type OutputFormat, renderDocument } from './document.js';
import { renderTable } from './table.js';

export async function renderStatus(result: StatusResult, format: OutputFormat, paint: Paint = plain): Promise<string> {
  if (format === 'json' || format === 'yaml') return renderDocument(result, format);
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
  );
  const nodes = await renderTable(
    ['node', 'pool', 'current', 'desired', 'state', 'up to date'],
    result.nodes.map((n) => [n.name, n.pool ?? '-', n.currentConfig ?? '-', n.desiredConfig ?? '-', n.state ?? '-', n.upToDate ? 'yes' : paint('no', 'yellow')]),
  );
  return `${result.pools.length ? `${pools}\n` : ''}${nodes}`;
}

function registriesText(r: StatusResult['pools'][number]['registries']): string {
  if (r === null) return 'unreadable';
  if (!r.present) return 'missing';
  if (r.matchesPolicies === null) return 'present';
  return r.matchesPolicies ? 'matches policies' : 'differs from policies';
}
