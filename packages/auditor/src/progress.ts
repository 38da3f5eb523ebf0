/**
 * Progress of long audit work, reported as it happens. `total` is known in advance for every phase (blocks of
 * a log scan, distinct blocks whose time is needed, view calls, status words).
 */
export interface AuditProgress {
  /** `logs`: scanning event logs; `blocks`: reading block times; `transactions`: reading senders; `calls`:
   * view calls; `words`: reading status words. */
  readonly phase: "logs" | "blocks" | "transactions" | "calls" | "words";
  readonly done: number;
  readonly total: number;
  /** What is being read (e.g. `statusRegistry 1-10000`). */
  readonly detail?: string;
}

/**
 * Receives {@link AuditProgress} updates. Must not throw.
 *
 * @example
 * ```ts
 * const onProgress: ProgressListener = (p) => process.stderr.write(`\r${p.phase} ${p.done}/${p.total}`);
 * ```
 */
export type ProgressListener = (progress: AuditProgress) => void;
