/**
 * Besu refuses a transaction whose RLP encoding exceeds 128 KiB (its transaction pool's limit; the same as geth's).
 * The largest transaction this software sends is a full status batch; `besuLimits.test.ts` checks it fits.
 */
export const BESU_MAX_TRANSACTION_BYTES = 128 * 1024;
