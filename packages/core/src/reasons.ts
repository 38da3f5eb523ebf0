/**
 * Reason codes recorded on the ledger with every accreditation or status change (a `uint32`; 0 is refused
 * by the contracts). Public, coarse categories only: never a free-text note about a person.
 */
export const ReasonCode = {
  GRANTED: 1,
  RENEWED: 2,
  KEY_COMPROMISE: 3,
  DEVICE_LOST: 4,
  MISCONDUCT: 5,
  ADMINISTRATIVE: 6,
  SUPERSEDED: 7,
  CESSATION: 8,
  REVIEW_CLEARED: 9,
  REQUESTED_BY_HOLDER: 10,
  GRADUATION: 11,
  AUDIT_FINDING: 12,
} as const;

export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

const NAMES = new Map<number, string>(Object.entries(ReasonCode).map(([k, v]) => [v, k]));

/**
 * The name of a reason code, or `UNKNOWN(n)` for a code this version does not know.
 *
 * @example
 * ```ts
 * reasonName(4) // "DEVICE_LOST"
 * ```
 */
export function reasonName(code: number): string {
  return NAMES.get(code) ?? `UNKNOWN(${code})`;
}
