// Durations travel as milliseconds; text is parsed at the edge and made where it is shown.
import { UserError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** What a flag takes beyond the common grammar. */
export interface DurationRules {
  /** 0 is a value of its own (no timeout, no age). */
  zero?: boolean;
  /** Days (`2d`): not for a value handed to the client, whose Go parser has no such unit. */
  days?: boolean;
}

/**
 * The one duration grammar of every flag that takes a time: `90s`, `5m`, `1h`, `1m30s`, `1.5h`,
 * `250ms`, `2d` (unless the flag's value goes to the client), or plain seconds. A value that goes
 * to oc or kubectl (--request-timeout) must also read as Go's time.ParseDuration or whole seconds
 * (k8s.io/client-go tools/clientcmd: a plain integer is seconds).
 */
export function parseDuration(text: string, flag: string, rules: DurationRules = {}): number {
  const days = rules.days ?? true;
  const trimmed = text.trim();
  const units = days ? 'ms|s|m|h|d' : 'ms|s|m|h';
  const plain = /^\d+(\.\d+)?$/.test(trimmed);
  const parts = plain ? [] : [...trimmed.matchAll(new RegExp(`(\\d+(?:\\.\\d+)?)(${units})`, 'g'))];
  if (!plain && (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed)) {
    throw new UserError(`${flag} ${JSON.stringify(text)} is not a duration: use e.g. 90s, 5m, 1h${days ? ', 2d' : ''} or plain seconds`);
  }
  const ms = plain ? Number(trimmed) * 1000 : parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
  if (ms === 0 && rules.zero) return 0;
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
