// Shell files travel as text (esbuild's text loader, and the same in vitest: scripts/text-modules.mjs).

/**
 * The script without its whole-line comments: they document the file, and would only lengthen
 * every pod's argv. A `#!` line and lines inside a here-document are kept (our scripts have no
 * here-documents; a line that opens one stops the stripping, to stay correct if one is added).
 */
export function withoutComments(script: string): string {
  const lines = script.split('\n');
  const kept: string[] = [];
  let stripping = true;
  for (const line of lines) {
    if (stripping && /<<-?\s*['"]?\w+/.test(line)) stripping = false;
    if (stripping && /^\s*#(?!!)/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n');
}
