/**
 * A resident registration number (주민등록번호, `YYMMDD-SNNNNNN`) masked for display: the birth date part and
 * the sex/century digit stay, the six digits that identify the person are hidden. Wallet screens show this
 * by default; the full number is disclosed only where a law requires it. Returns `undefined` for anything
 * that is not a well-formed number.
 *
 * @example
 * ```ts
 * maskResidentRegistrationNumber("900101-1234567") // "900101-1******"
 * ```
 */
export function maskResidentRegistrationNumber(rrn: string): string | undefined {
  const m = /^(\d{6})-([1-8])\d{6}$/.exec(rrn);
  return m === null ? undefined : `${m[1]}-${m[2]}******`;
}
