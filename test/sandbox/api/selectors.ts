// Label and field selectors as the API server reads them: label selectors by
// k8s.io/apimachinery pkg/labels/selector.go (=, ==, !=, in, notin, exists, !exists), field
// selectors by pkg/fields/selector.go (=, ==, != on a known field label only; an unknown one is
// refused with "field label not supported", pkg/apis/core/v1/conversion.go).
import { badRequest, type KubeObject } from './types.js';

type Test = (get: (key: string) => string | undefined) => boolean;

export function labelSelector(text: string | null): Test {
  if (!text) return () => true;
  const terms = splitTerms(text).map((term): Test => {
    let m: RegExpExecArray | null;
    if ((m = /^\s*([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)\s*$/.exec(term))) {
      const [, key, op, list] = m;
      const values = list!.split(',').map((v) => v.trim());
      return op === 'in' ? (get) => values.includes(get(key!) ?? '\0') : (get) => !values.includes(get(key!) ?? '\0');
    }
    if ((m = /^\s*([\w./-]+)\s*(!=|==|=)\s*([\w./-]*)\s*$/.exec(term))) {
      const [, key, op, value] = m;
      return op === '!=' ? (get) => get(key!) !== value : (get) => get(key!) === value;
    }
    if ((m = /^\s*!\s*([\w./-]+)\s*$/.exec(term))) return (get) => get(m![1]!) === undefined;
    if ((m = /^\s*([\w./-]+)\s*$/.exec(term))) return (get) => get(m![1]!) !== undefined;
    throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
  });
  return (get) => terms.every((t) => t(get));
}

/** Commas inside `in (a,b)` do not split. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.filter((t) => t.trim() !== '');
}

export function fieldSelector(text: string | null, allowed: string[]): (object: KubeObject) => boolean {
  if (!text) return () => true;
  const known = new Set(['metadata.name', 'metadata.namespace', ...allowed]);
  const terms = text.split(',').filter(Boolean).map((term) => {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    if (!known.has(field!)) throw badRequest(`field label not supported: ${field}`);
    return { field: field!, negate: op === '!=', value: value! };
  });
  return (object) =>
    terms.every(({ field, negate, value }) => {
      const actual = fieldValue(object, field);
      return negate ? actual !== value : actual === value;
    });
}

function fieldValue(object: KubeObject, path: string): string {
  let at: unknown = object;
  for (const part of path.split('.')) at = (at as Record<string, unknown> | undefined)?.[part];
  return at === undefined || at === null ? '' : String(at);
}
