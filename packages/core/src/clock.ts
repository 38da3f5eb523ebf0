/** Seconds since the Unix epoch. Injected everywhere time matters, so tests and audits can fix it. */
export type Clock = () => number;

/**
 * The wall clock, in whole seconds.
 *
 * @example
 * ```ts
 * const now = systemClock();
 * ```
 */
export const systemClock: Clock = () => Math.floor(Date.now() / 1000);

/**
 * A clock that always answers `seconds` (for tests and reproducible reports).
 *
 * @example
 * ```ts
 * const clock = fixedClock(1_767_225_600);
 * ```
 */
export function fixedClock(seconds: number): Clock {
  return () => seconds;
}

/** A clock a test or a replay moves by hand: {@link SettableClock.set} jumps to a time, `advance` moves by seconds. */
export interface SettableClock {
  (): number;
  /** Moves the clock to `seconds`. */
  set(seconds: number): void;
  /** Moves the clock by `seconds` (negative goes back). */
  advance(seconds: number): void;
}

/**
 * A clock that answers `start` until moved (for tests that step through time).
 *
 * @example
 * ```ts
 * const clock = settableClock(1_767_225_600);
 * clock.advance(86_400);
 * ```
 */
export function settableClock(start: number): SettableClock {
  let t = start;
  const clock = (() => t) as SettableClock;
  clock.set = (seconds) => {
    t = seconds;
  };
  clock.advance = (seconds) => {
    t += seconds;
  };
  return clock;
}
