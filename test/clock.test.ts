// The system clock, as a run uses it: its time, a timer that fires, one that is cancelled.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';

describe('systemClock', () => {
  it('reads the time as Date.now does', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
  it('a timer fires; a cancelled one never does', async () => {
    const fired: string[] = [];
    const cancel = systemClock.setTimer(0, () => fired.push('cancelled'));
    cancel();
    await new Promise<void>((resolve) => systemClock.setTimer(0, () => (fired.push('fired'), resolve())));
    expect(fired).toEqual(['fired']);
  });
});
