/**
 * Auto-lock: the open wallet locks itself after a while without the holder touching it, or when it comes back
 * after having been hidden (another app, the screen off) for that long. Two minutes unless the holder chose
 * otherwise (settings; kept in `localStorage`). Pure: the clock and timers are injected, so it runs under test.
 */
import type { KeyValueStorage } from "./lastStatus.ts";

/** The lock delay when the holder has chosen none. */
export const DEFAULT_AUTO_LOCK_SECONDS = 120;
/** The delays the settings screen offers. */
export const AUTO_LOCK_CHOICES: readonly number[] = [30, 60, 120, 300, 600];
const KEY = "mobile-id.wallet.auto-lock-seconds";

/**
 * The holder's lock delay in seconds: a whole number from 1 to 3600 as stored, else the default.
 *
 * @example
 * ```ts
 * autoLockSeconds(localStorage); // 120
 * ```
 */
export function autoLockSeconds(storage: Pick<KeyValueStorage, "getItem">): number {
  let raw: string | null = null;
  try {
    raw = storage.getItem(KEY);
  } catch {
    // no storage: the default
  }
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && n >= 1 && n <= 3600 ? n : DEFAULT_AUTO_LOCK_SECONDS;
}

/** Stores the holder's lock delay (seconds, 1 to 3600). */
export function setAutoLockSeconds(storage: KeyValueStorage, seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) throw new RangeError("auto-lock delay must be 1 to 3600 seconds");
  storage.setItem(KEY, String(seconds));
}

export interface AutoLockClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: AutoLockClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface AutoLock {
  /** The wallet opened: the idle countdown starts. */
  start(): void;
  /** The wallet closed: nothing more happens until `start`. */
  stop(): void;
  /** The holder touched or typed: the countdown starts again. */
  activity(): void;
  /** The page was hidden. */
  hidden(): void;
  /** The page is visible again: locks at once if it was hidden for the delay or longer. */
  visible(): void;
}

/**
 * The auto-lock controller. `delayMs` is read at every (re)start, so a changed setting applies at the next touch.
 *
 * @example
 * ```ts
 * const auto = createAutoLock({ delayMs: () => autoLockSeconds(localStorage) * 1000, onLock: () => void lock(app) });
 * auto.start();
 * document.addEventListener("pointerdown", () => auto.activity());
 * ```
 */
export function createAutoLock(params: { readonly delayMs: () => number; readonly onLock: () => void; readonly clock?: AutoLockClock }): AutoLock {
  const clock = params.clock ?? realClock;
  let running = false;
  let timer: unknown;
  let hiddenAt: number | undefined;
  const clear = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const fire = () => {
    if (!running) return;
    running = false;
    hiddenAt = undefined;
    clear();
    params.onLock();
  };
  const arm = () => {
    clear();
    if (running) timer = clock.setTimeout(fire, params.delayMs());
  };
  return {
    start() {
      running = true;
      hiddenAt = undefined;
      arm();
    },
    stop() {
      running = false;
      hiddenAt = undefined;
      clear();
    },
    activity() {
      if (running && hiddenAt === undefined) arm();
    },
    hidden() {
      if (running && hiddenAt === undefined) hiddenAt = clock.now();
    },
    visible() {
      if (!running || hiddenAt === undefined) return;
      const away = clock.now() - hiddenAt;
      hiddenAt = undefined;
      // Timers are slowed or paused in a hidden page: the time away is measured, not waited for.
      if (away >= params.delayMs()) fire();
      else arm();
    },
  };
}
