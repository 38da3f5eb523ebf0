import { MobileIdError } from "../errors.ts";
import { toChecksumAddress } from "./checksum.ts";
import type { StatusEntryField, StatusEntryRef } from "./types.ts";

/** The `credentialStatus.type` of mobile-id credentials (core README, "Verifiable Credential"). */
export const MOBILE_ID_STATUS_ENTRY_TYPE = "MobileIdStatusListEntry";

const STATUS_KEYS = new Set(["id", "type", "statusRegistry", "revocationListId", "suspensionListId", "statusListIndex"]);
/** Canonical decimal: no sign, no leading zero, at most 78 digits (uint256). */
const DECIMAL = /^(?:0|[1-9][0-9]{0,77})$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const STATUS_ID = /^urn:mobile-id:status:([0-9]{1,20}):(0x[0-9a-fA-F]{40}):([0-9]{1,78}):([0-9]{1,78}):([0-9]{1,78})$/;
const UINT256_MAX = (1n << 256n) - 1n;

/**
 * The `credentialStatus` of a mobile-id credential (core README, normative), as {@link createMobileIdStatusEntry}
 * writes it: the registry checksummed, list ids and index as canonical decimal strings, and an id naming them all.
 */
export type MobileIdStatusEntry = {
  id: string;
  type: typeof MOBILE_ID_STATUS_ENTRY_TYPE;
  statusRegistry: string;
  revocationListId: string;
  suspensionListId: string;
  statusListIndex: string;
};

/** Every credential of a network names the same registry: remember the last checksum. */
let lastRegistry: [string, string] = ["", ""];
function checksummed(address: string): string {
  if (lastRegistry[0] !== address) lastRegistry = [address, toChecksumAddress(address.slice(2).toLowerCase())];
  return lastRegistry[1];
}

const problem = (message: string): StatusEntryField => ({ ok: false, problem: message });

function decimal(value: unknown): bigint | undefined {
  if (typeof value !== "string" || !DECIMAL.test(value)) return undefined;
  const n = BigInt(value);
  return n <= UINT256_MAX ? n : undefined;
}

/**
 * Reads a `credentialStatus` of type `MobileIdStatusListEntry`. Strict: exactly the six members, canonical
 * decimal strings, and an `id` that says the same as the other members (two readers could otherwise
 * disagree on which entry a credential points at). Pure; the ledger checks (lists exist, belong to the
 * issuer, purposes, range) are the verifier's.
 *
 * @example
 * ```ts
 * const s = parseMobileIdStatusEntry(payload.vc.credentialStatus, 31337n);
 * if (s.ok) console.log(s.entry.index);
 * ```
 */
export function parseMobileIdStatusEntry(value: unknown, chainId: bigint): StatusEntryField {
  if (value === undefined) return problem("the credential has no credentialStatus");
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return problem("credentialStatus is not an object");
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!STATUS_KEYS.has(key)) return problem(`credentialStatus has an unexpected member ${JSON.stringify(key)}`);
  }
  if (v["type"] !== MOBILE_ID_STATUS_ENTRY_TYPE) return problem("credentialStatus.type is not MobileIdStatusListEntry");
  const registry = v["statusRegistry"];
  if (typeof registry !== "string" || !ADDRESS.test(registry)) return problem("statusRegistry is not an address");
  const revocationListId = decimal(v["revocationListId"]);
  const suspensionListId = decimal(v["suspensionListId"]);
  const index = decimal(v["statusListIndex"]);
  if (revocationListId === undefined || suspensionListId === undefined || index === undefined) {
    return problem("list ids and index must be canonical decimal strings");
  }
  if (revocationListId === 0n || suspensionListId === 0n) return problem("list ids start at 1");
  if (revocationListId === suspensionListId) return problem("the revocation and suspension lists are the same list");
  const id = v["id"];
  const m = typeof id === "string" ? STATUS_ID.exec(id) : null;
  if (
    m === null ||
    m[1] !== chainId.toString() ||
    m[2]?.toLowerCase() !== registry.toLowerCase() ||
    m[3] !== v["revocationListId"] ||
    m[4] !== v["suspensionListId"] ||
    m[5] !== v["statusListIndex"]
  ) {
    return problem("credentialStatus.id does not agree with its other members or this chain");
  }
  return { ok: true, entry: { registry: checksummed(registry), revocationListId, suspensionListId, index } };
}

/**
 * The `credentialStatus` object for a status entry, as issuers write it (the inverse of
 * {@link parseMobileIdStatusEntry}); the only writer of it (issuer, the JWT-VC format, test kits). Throws
 * `INVALID_ARGUMENT` for a registry that is not an address (or a mixed-case one with a wrong EIP-55 checksum),
 * or a list id or index that is negative.
 *
 * @example
 * ```ts
 * vc.credentialStatus = createMobileIdStatusEntry(31337n, { registry, revocationListId: 7n, suspensionListId: 8n, index: 104729n });
 * ```
 */
export function createMobileIdStatusEntry(chainId: bigint | number, entry: StatusEntryRef): MobileIdStatusEntry {
  const registry = checksumOrThrow(entry.registry);
  if (entry.revocationListId < 0n || entry.suspensionListId < 0n || entry.index < 0n) {
    throw new MobileIdError("INVALID_ARGUMENT", "status list ids and index must not be negative");
  }
  const rev = entry.revocationListId.toString();
  const sus = entry.suspensionListId.toString();
  const index = entry.index.toString();
  return {
    id: `urn:mobile-id:status:${BigInt(chainId)}:${registry}:${rev}:${sus}:${index}`,
    type: MOBILE_ID_STATUS_ENTRY_TYPE,
    statusRegistry: registry,
    revocationListId: rev,
    suspensionListId: sus,
    statusListIndex: index,
  };
}

/** As ethers' `getAddress`: the checksummed address; a mixed-case input must already carry the right checksum. */
function checksumOrThrow(address: string): string {
  if (!ADDRESS.test(address)) throw new MobileIdError("INVALID_ARGUMENT", "statusRegistry is not an address");
  const c = checksummed(address);
  const body = address.slice(2);
  if (body !== body.toLowerCase() && body !== body.toUpperCase() && address !== c) {
    throw new MobileIdError("INVALID_ARGUMENT", "statusRegistry has a bad EIP-55 checksum");
  }
  return c;
}
