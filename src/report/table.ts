// kubectl-style tables: upper-case headers, no borders, columns padded with spaces.

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '   ',
};

export async function renderTable(headers: string[], rows: string[][]): Promise<string> {
  // Loaded on demand: -o json|yaml never needs it.
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: headers.map((h) => h.toUpperCase()),
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  table.push(...rows);
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}
