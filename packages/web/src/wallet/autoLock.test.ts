import { describe, expect, it } from "vitest";
import { type AutoLockClock, DEFAULT_AUTO_LOCK_SECONDS, autoLockSeconds, createAutoLock, setAutoLockSeconds } from "./autoLock.ts";

/** A settable clock: time moves only when the test says so. */
function fakeClock(): AutoLockClock & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.set(next, { at: now + ms, run });
      return next++;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now && timers.has(id)) {
          timers.delete(id);
          t.run();
        }
      }
    },
  };
}

describe("auto-lock", () => {
  const setup = (delayMs = 120_000) => {
    const clock = fakeClock();
    let locks = 0;
    const auto = createAutoLock({ delayMs: () => delayMs, onLock: () => locks++, clock });
    return { clock, auto, locks: () => locks };
  };

  it("locks after the delay without activity, and activity starts the delay again", () => {
    const { clock, auto, locks } = setup();
    auto.start();
    clock.advance(119_000);
    auto.activity();
    clock.advance(119_000);
    expect(locks()).toBe(0);
    clock.advance(1_000);
    expect(locks()).toBe(1);
    clock.advance(500_000);
    expect(locks()).toBe(1); // once, until the wallet is opened again
  });

  it("locks on return after being hidden for the delay, even if no timer ran meanwhile", () => {
    const { clock, auto, locks } = setup();
    auto.start();
    auto.hidden();
    // A hidden page's timers are paused: time passes without them running.
    (clock as { now: () => number }).now = () => 130_000;
    auto.visible();
    expect(locks()).toBe(1);
  });

  it("a short absence does not lock; a stopped (locked) wallet never locks again", () => {
    const { clock, auto, locks } = setup();
    auto.start();
    auto.hidden();
    clock.advance(10_000);
    auto.activity(); // events while hidden do not count
    auto.visible();
    clock.advance(100_000);
    expect(locks()).toBe(0);
    auto.stop();
    clock.advance(1_000_000);
    auto.visible();
    expect(locks()).toBe(0);
  });

  it("the delay is the holder's choice, 2 minutes by default; nonsense is refused or ignored", () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    expect(autoLockSeconds(storage)).toBe(DEFAULT_AUTO_LOCK_SECONDS);
    expect(DEFAULT_AUTO_LOCK_SECONDS).toBe(120);
    setAutoLockSeconds(storage, 300);
    expect(autoLockSeconds(storage)).toBe(300);
    expect(() => setAutoLockSeconds(storage, 0)).toThrow(RangeError);
    data.set("mobile-id.wallet.auto-lock-seconds", "forever");
    expect(autoLockSeconds(storage)).toBe(DEFAULT_AUTO_LOCK_SECONDS);
  });
});
