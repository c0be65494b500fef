// Node names folded for a grouped row: worker-0 … worker-196 and infra-1 become
// `worker-[0-196], infra-1`.

export function foldNames(names: string[]): string {
  const byPrefix = new Map<string, { numbers: number[]; width: number | null }>();
  const plain: string[] = [];
  for (const name of names) {
    const m = /^(.*?)(\d+)$/.exec(name);
    if (!m) {
      plain.push(name);
      continue;
    }
    const [, prefix = '', digits = ''] = m;
    // Zero-padded numbers fold only with numbers of the same width.
    const key = digits.length > 1 && digits.startsWith('0') ? `${prefix}\u0000${digits.length}` : prefix;
    const entry = byPrefix.get(key) ?? { numbers: [], width: key.includes('\u0000') ? digits.length : null };
    entry.numbers.push(Number(digits));
    byPrefix.set(key, entry);
  }
  const folded = [...byPrefix.entries()].map(([key, { numbers, width }]) => {
    const prefix = key.split('\u0000')[0]!;
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    const show = (n: number) => (width ? String(n).padStart(width, '0') : String(n));
    if (sorted.length === 1) return `${prefix}${show(sorted[0]!)}`;
    return `${prefix}[${ranges(sorted).map(([a, b]) => (a === b ? show(a) : `${show(a)}-${show(b)}`)).join(',')}]`;
  });
  return [...folded, ...plain].sort().join(', ');
}

function ranges(sorted: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of sorted) {
    const last = out.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}
