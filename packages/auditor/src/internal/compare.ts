/** Locale-independent ordering of strings (by UTF-16 code units), so reports sort the same everywhere. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ROLE_ORDER: Readonly<Record<string, number>> = { Root: 0, Accreditor: 1, Issuer: 2, None: 3 };

export function compareRole(a: string, b: string): number {
  return (ROLE_ORDER[a] ?? 9) - (ROLE_ORDER[b] ?? 9);
}
