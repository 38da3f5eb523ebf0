/** The API keys in a `pnpm start` banner (`    <slug>  mid_…` lines under "agency API keys"; printed once, stored nowhere). */
export function printedApiKeys(output: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const m of output.matchAll(/^ {4}([a-z0-9-]+) +(mid_[A-Za-z0-9_-]{43})$/gm)) keys[m[1]!] = m[2]!;
  return keys;
}
