import { type LedgerMirror, type MirrorSnapshotWriter, loadMirrorSnapshot, startMirrorSnapshotWriter } from "@mobile-id/chain";
import { MobileIdError, type NetworkDescriptor } from "@mobile-id/core";

/** Default offline policy: 15 minutes. */
export const DEFAULT_MAX_STALENESS_SECONDS = 900;
/** The longest offline policy accepted: 24 hours. */
export const MAX_STALENESS_SECONDS_BOUND = 86_400;

/**
 * The offline policy checked: a whole number of seconds from 1 to 86,400 (24 hours); 900 when absent.
 *
 * @example
 * ```ts
 * checkOfflinePolicy(undefined) // 900
 * checkOfflinePolicy(90_000)    // throws INVALID_ARGUMENT
 * ```
 */
export function checkOfflinePolicy(seconds: number | undefined): number {
  const value = seconds ?? DEFAULT_MAX_STALENESS_SECONDS;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_STALENESS_SECONDS_BOUND) {
    throw new MobileIdError("INVALID_ARGUMENT", `maxStalenessSeconds must be a whole number of seconds from 1 to ${MAX_STALENESS_SECONDS_BOUND} (24 hours)`, {
      details: { maxStalenessSeconds: seconds },
    });
  }
  return value;
}

export interface OpenLedgerReplicaParameters {
  readonly mirror: Pick<LedgerMirror, "importState" | "exportState">;
  readonly descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">;
  readonly path: string;
  /** Where to put what the operator should read (a refused snapshot). */
  readonly notes: string[];
}

/**
 * The verifier's persisted ledger replica: loads the snapshot into the mirror before it starts (a refused one is
 * noted and the mirror syncs from zero), then saves it periodically and on stop.
 *
 * @example
 * ```ts
 * const replica = openLedgerReplica({ mirror, descriptor, path, notes });
 * await mirror.start();
 * replica.startSaving((e) => log.error(e));
 * // ...
 * await mirror.stop();
 * await replica.stop();
 * ```
 */
export function openLedgerReplica(params: OpenLedgerReplicaParameters) {
  const loaded = loadMirrorSnapshot(params.mirror, params.path, params.descriptor);
  if (!loaded.loaded && loaded.reason !== "missing") params.notes.push(`${loaded.message}; the verifier syncs its replica from zero`);
  let writer: MirrorSnapshotWriter | undefined;
  return {
    loaded,
    startSaving: (onError: (error: unknown) => void): void => {
      writer ??= startMirrorSnapshotWriter({ mirror: params.mirror, path: params.path, descriptor: params.descriptor, onError });
    },
    /** Stops saving; saves a last time unless `save: false`. */
    stop: async (options: { readonly save?: boolean } = {}): Promise<void> => {
      const w = writer;
      writer = undefined;
      if (w === undefined) return;
      if (options.save === false) w.cancel();
      else await w.stop();
    },
  };
}
