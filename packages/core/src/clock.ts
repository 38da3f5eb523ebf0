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
