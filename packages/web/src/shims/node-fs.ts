/**
 * Stands in for `node:fs` in the browser bundle. `@mobile-id/core`'s credential type module imports
 * `readFileSync` for `loadSchema`, which the browser never calls (it fetches schemas from `GET /credential-types`);
 * everything else in that module is pure. Calling this is a bug, so it says so.
 */
export function readFileSync(): never {
  throw new Error("node:fs is not available in the browser: fetch the schemas from GET /credential-types");
}
