/** ISO 8601 UTC, whole seconds: `2026-01-01T09:00:00Z`. */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

/** The calendar day (`YYYY-MM-DD`) of `seconds` at a fixed offset from UTC (minutes; 540 for KST). */
export function dayOf(seconds: number, utcOffsetMinutes: number): string {
  return new Date((seconds + utcOffsetMinutes * 60) * 1000).toISOString().slice(0, 10);
}

/** `+09:00` for 540. */
export function offsetLabel(utcOffsetMinutes: number): string {
  const sign = utcOffsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(utcOffsetMinutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
