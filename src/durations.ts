// Durations travel as milliseconds; text is parsed at the edge and made where it is shown.
import { UserError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `5m`, `1h`, `1m30s`, or plain seconds. */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return positive(Number(trimmed) * 1000, text, flag);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new UserError(`${flag} ${JSON.stringify(text)} is not a duration: use e.g. 90s, 5m, 1h or plain seconds`);
  }
  return positive(
    parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0),
    text,
    flag,
  );
}

function positive(ms: number, text: string, flag: string): number {
  if (!(ms > 0)) throw new UserError(`${flag} ${JSON.stringify(text)} must be more than zero`);
  return Math.round(ms);
}

/** 3000 → `3s`, 90000 → `1m30s`, 1500 → `1.5s`: the shortest text parseDuration reads back. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${Number(s.toFixed(3))}s` : ''}`;
}
