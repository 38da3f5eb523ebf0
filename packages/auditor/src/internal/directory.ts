import { checksumAddress, isAddress, isBytes32Hex } from "@mobile-id/chain";
import { parseEthrDid } from "@mobile-id/core";
import { AuditorError } from "../errors.ts";
import type { LedgerEvent, PartyRoleName } from "../events.ts";
import type { AuditLedger } from "../openLedger.ts";
import type { ProgressListener } from "../progress.ts";
import { queryEvents } from "./logs.ts";

export interface DirectoryParty {
  readonly identity: string;
  readonly id: number;
  readonly role: PartyRoleName;
  readonly name: string;
  readonly registeredBy: string;
}

export interface DirectoryType {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly governingAccreditor: string;
  readonly deprecated: boolean;
}

/** Who is who, as of a block: parties and credential types, from their registration events. */
export interface Directory {
  readonly parties: ReadonlyMap<string, DirectoryParty>;
  readonly types: ReadonlyMap<string, DirectoryType>;
}

/** Builds the directory from events (pure). */
export function buildDirectory(events: readonly LedgerEvent[]): Directory {
  const parties = new Map<string, DirectoryParty>();
  const types = new Map<string, DirectoryType>();
  for (const e of events) {
    if (e.name === "PartyRegistered") {
      parties.set(e.identity, { identity: e.identity, id: e.id, role: e.role, name: e.partyName, registeredBy: e.registeredBy });
    } else if (e.name === "CredentialTypeRegistered") {
      types.set(e.id, { id: e.id, name: e.typeName, version: e.version, governingAccreditor: e.governingAccreditor, deprecated: false });
    } else if (e.name === "CredentialTypeDeprecated") {
      const t = types.get(e.id);
      if (t !== undefined) types.set(e.id, { ...t, deprecated: true });
    }
  }
  return { parties, types };
}

/** Reads the registration events up to `atBlock` (few: one per party and per type) into a directory. */
export async function readDirectory(ledger: AuditLedger, atBlock: number, onProgress?: ProgressListener): Promise<Directory> {
  const events = await queryEvents(
    ledger,
    [{ source: "accreditationRegistry", events: ["PartyRegistered", "CredentialTypeRegistered", "CredentialTypeDeprecated"] }],
    0,
    atBlock,
    onProgress,
  );
  return buildDirectory(events);
}

export function partyName(dir: Directory, identity: string | null): string {
  if (identity === null) return "";
  return dir.parties.get(identity)?.name ?? "";
}

export function typeName(dir: Directory, id: string): { name: string; version: number | null } {
  const t = dir.types.get(id);
  return t === undefined ? { name: "", version: null } : { name: t.name, version: t.version };
}

/**
 * The id of a credential type given as its 32-byte id or its name (with `version`, or else the highest
 * registered version). Throws `UNKNOWN_CREDENTIAL_TYPE` when the ledger has no such type at that block.
 */
export function resolveCredentialType(dir: Directory, ref: string, version?: number): DirectoryType {
  if (isBytes32Hex(ref)) {
    const t = dir.types.get(ref.toLowerCase());
    if (t === undefined || (version !== undefined && t.version !== version)) {
      throw new AuditorError("UNKNOWN_CREDENTIAL_TYPE", "no credential type with this id is registered", {
        details: { credentialType: ref, version: version ?? null },
      });
    }
    return t;
  }
  let best: DirectoryType | undefined;
  for (const t of dir.types.values()) {
    if (t.name !== ref) continue;
    if (version !== undefined ? t.version === version : best === undefined || t.version > best.version) best = t;
  }
  if (best === undefined) {
    throw new AuditorError("UNKNOWN_CREDENTIAL_TYPE", "no credential type with this name is registered", {
      details: { credentialType: ref, version: version ?? null, registered: [...dir.types.values()].map((t) => `${t.name} v${t.version}`) },
    });
  }
  return best;
}

/** The identity address of a party given as an address or as a `did:ethr` of this network. */
export function parseIdentity(input: string, chainId: number): string {
  if (isAddress(input)) return checksumAddress(input);
  const did = parseEthrDid(input);
  if (did === undefined || did.publicKey !== undefined) {
    throw new AuditorError("INVALID_ARGUMENT", "not an address or an address-form did:ethr", { details: { party: input } });
  }
  if (did.chainId !== BigInt(chainId)) {
    throw new AuditorError("INVALID_ARGUMENT", "the DID names another chain than this network's", {
      details: { party: input, chainId },
    });
  }
  return did.address;
}
