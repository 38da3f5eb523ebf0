import { ZeroAddress } from "ethers";
import type { AccreditationStanding } from "./types.ts";

/**
 * The parties whose roles a reader answers for one query: those it names, and the accreditor of every
 * standing answer (so that a verifier can check that an issuer's accreditation comes from an accreditor
 * without a second query). Lower case, without duplicates or the zero address.
 *
 * @example
 * ```ts
 * partiesToRead([issuer], standings) // ["0x9965…", "0x70997970…"]
 * ```
 */
export function partiesToRead(named: readonly string[] | undefined, standings: readonly AccreditationStanding[]): string[] {
  const out = new Set<string>();
  for (const a of named ?? []) out.add(a.toLowerCase());
  for (const s of standings) if (s.accreditor !== ZeroAddress) out.add(s.accreditor.toLowerCase());
  return [...out];
}
