/**
 * The pages' state: one immutable value per app, replaced by `set` and redrawn by whoever subscribed (the page
 * layout). Pure: no DOM, no timers, so it runs under test in Node.
 */

/** A patch of some of the state's fields, or a function of the current state that returns one. */
export type StorePatch<S> = Partial<S> | ((state: S) => Partial<S>);

export interface Store<S extends object> {
  /** The current state (a frozen object: change it with `set`). */
  get(): S;
  /** Merges `patch` into a new state and tells every subscriber, synchronously. A patch that changes no field is dropped. */
  set(patch: StorePatch<S>): void;
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: (state: S) => void): () => void;
}

/**
 * A small store: `get`, `set` (shallow merge) and `subscribe`.
 *
 * @example
 * ```ts
 * const store = createStore({ busy: undefined as string | undefined, count: 0 });
 * const stop = store.subscribe((s) => render(s));
 * store.set((s) => ({ count: s.count + 1 }));
 * stop();
 * ```
 */
export function createStore<S extends object>(initial: S): Store<S> {
  let state: S = Object.freeze({ ...initial });
  const listeners = new Set<(state: S) => void>();
  return {
    get: () => state,
    set(patch) {
      const changes = typeof patch === "function" ? patch(state) : patch;
      const changed = Object.keys(changes).some((k) => !Object.is((changes as Record<string, unknown>)[k], (state as Record<string, unknown>)[k]));
      if (!changed) return;
      state = Object.freeze({ ...state, ...changes });
      for (const listener of [...listeners]) listener(state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
