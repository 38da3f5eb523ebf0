/** The age claims an issuer derives from a birth date (SD-JWT VC / EUDI PID names). */
export interface AgeClaims {
  /** One entry per threshold: whether the person is at least that old on the issuance day. */
  readonly age_equal_or_over: Readonly<Record<string, boolean>>;
  readonly age_in_years: number;
  readonly age_birth_year: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Age predicates computed at issuance from an ISO `YYYY-MM-DD` birth date, in UTC calendar days (a person born
 * on 29 February comes of age on 1 March in common years). Returns `undefined` for an invalid date or one after
 * `now`. Pure.
 *
 * @example
 * ```ts
 * computeAgeClaims("2007-12-08", Date.UTC(2026, 11, 7) / 1000, [14, 19, 65]).age_equal_or_over
 * // { "14": true, "19": false, "65": false }
 * ```
 */
export function computeAgeClaims(birthDate: string, nowSeconds: number, thresholds: readonly number[]): AgeClaims | undefined {
  const m = DATE.exec(birthDate);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const born = new Date(Date.UTC(y, mo - 1, d));
  if (born.getUTCFullYear() !== y || born.getUTCMonth() !== mo - 1 || born.getUTCDate() !== d) return undefined;
  const now = new Date(nowSeconds * 1000);
  if (born.getTime() > now.getTime()) return undefined;
  const ny = now.getUTCFullYear();
  const nm = now.getUTCMonth() + 1;
  const nd = now.getUTCDate();
  const age = ny - y - (nm < mo || (nm === mo && nd < d) ? 1 : 0);
  const over: Record<string, boolean> = {};
  for (const t of [...thresholds].sort((a, b) => a - b)) over[String(t)] = age >= t;
  return { age_equal_or_over: over, age_in_years: age, age_birth_year: y };
}
