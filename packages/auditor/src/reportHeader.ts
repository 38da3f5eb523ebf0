import { toEthrDid } from "@mobile-id/core";
import { isoTime } from "./internal/time.ts";
import type { AuditLedger } from "./openLedger.ts";

/** What every report starts with: the network and the block it describes (all of it, and nothing after). */
export interface ReportHeader {
  readonly network: { readonly name: string; readonly chainId: number };
  /** Every event read is at or before this block; every view was called at this block. */
  readonly atBlock: number;
  readonly atBlockTimestamp: number;
  /** ISO 8601 UTC of `atBlockTimestamp`. */
  readonly atBlockTime: string;
}

/** A party as reports show it: identity, its `did:ethr`, and its registered name and role ("" / "None"). */
export interface PartyRef {
  readonly identity: string;
  readonly did: string;
  readonly name: string;
}

export async function reportHeader(ledger: AuditLedger, atBlock: number): Promise<ReportHeader> {
  const times = await ledger.blockTimestamps([atBlock]);
  const ts = times.get(atBlock) ?? 0;
  return {
    network: { name: ledger.descriptor.name, chainId: ledger.descriptor.chainId },
    atBlock,
    atBlockTimestamp: ts,
    atBlockTime: isoTime(ts),
  };
}

export function didOf(ledger: AuditLedger, identity: string): string {
  return toEthrDid(ledger.descriptor.chainId, identity);
}
