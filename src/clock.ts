// Time, injected: the one clock a run reads and sets its timers by. Tests give a fake one that
// they step (test/fake-clock.ts, after k8s.io/utils/clock/testing FakeClock), so no test waits.
export interface Clock {
  now(): number;
  /** Calls fire after ms; returns what cancels it. */
  setTimer(ms: number, fire: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};
