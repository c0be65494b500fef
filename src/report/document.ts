// -o json|yaml: exactly one document on stdout. yaml loads only when asked for.
export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';

export async function renderDocument(value: unknown, format: 'json' | 'yaml'): Promise<string> {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  const { stringify } = await import('yaml');
  return stringify(value, { lineWidth: 0 });
}
