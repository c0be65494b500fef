// A clock a test steps, after k8s.io/utils/clock/testing FakeClock: time moves only when the test
// moves it, and the timers due fire in order, each followed by whatever it set in motion (the
// fake runner's lines arrive on setImmediate). No test waits on the wall clock.
import type { Clock } from '../src/clock.js';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 11, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fire };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((t) => t !== timer));
  }

  /** Lets what is already in motion run: promise callbacks and setImmediate, a few rounds deep. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Moves time forward by ms, firing the timers due on the way, in order. */
  async step(ms: number): Promise<void> {
    const until = this.time + ms;
    await this.settle();
    for (let next = this.next(); next && next.at <= until; next = this.next()) await this.fire(next);
    this.time = until;
    await this.settle();
  }

  /** Moves time from timer to timer until `done` settles; a run that waits on nothing the clock can move is stuck. */
  async runUntil<T>(done: Promise<T>, maxMs = 3_600_000): Promise<T> {
    let settled = false;
    void done.then(
      () => (settled = true),
      () => (settled = true),
    );
    const start = this.time;
    await this.settle();
    while (!settled) {
      const next = this.next();
      if (!next) throw new Error(`stuck at +${this.time - start} ms: nothing more is due, and the run has not ended`);
      if (next.at - start > maxMs) throw new Error(`still running after ${maxMs} ms of fake time`);
      await this.fire(next);
    }
    return done;
  }

  /** Fake milliseconds since `since`. */
  elapsed(since: number): number {
    return this.time - since;
  }

  private next(): Timer | undefined {
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
  }

  private async fire(timer: Timer): Promise<void> {
    this.timers = this.timers.filter((t) => t !== timer);
    this.time = Math.max(this.time, timer.at);
    timer.fire();
    await this.settle();
  }
}

/** Lets what is in motion run (promise callbacks, setImmediate) until `ready` holds: no wall-clock wait. */
export async function settleUntil(ready: () => boolean, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds && !ready(); i++) await new Promise((resolve) => setImmediate(resolve));
}
