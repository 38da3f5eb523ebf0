import { Interface, type LogDescription, getAddress, toBeHex, zeroPadValue } from "ethers";
import { accreditationRegistryAbi, didRegistryAbi, statusRegistryAbi } from "../generated/contracts.ts";
import { decodeStatusWordsData } from "./decodeStatusWords.ts";

/** ABI coders of the three contracts (module-level: pure, immutable). */
export const didRegistryInterface = new Interface(didRegistryAbi);
export const accreditationRegistryInterface = new Interface(accreditationRegistryAbi);
export const statusRegistryInterface = new Interface(statusRegistryAbi);

const STATUS_WORDS_SET = statusRegistryInterface.getEvent("StatusWordsSet")?.topicHash.toLowerCase();
const STATUS_WORDS_CLEARED = statusRegistryInterface.getEvent("StatusWordsCleared")?.topicHash.toLowerCase();

/** A raw log as `eth_getLogs` returns it. */
export interface RawLog {
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
  readonly blockNumber: string;
  readonly blockHash: string;
  readonly logIndex: string;
  readonly removed?: boolean;
}

/** An ERC-1056 event, decoded. */
export type Erc1056Event =
  | { readonly kind: "owner"; readonly identity: string; readonly owner: string }
  | {
      readonly kind: "delegate";
      readonly identity: string;
      readonly delegateType: string;
      readonly delegateTypeRaw: string;
      readonly delegate: string;
      readonly validTo: bigint;
    }
  | {
      readonly kind: "attribute";
      readonly identity: string;
      readonly name: string;
      readonly nameRaw: string;
      readonly value: string;
      readonly validTo: bigint;
    };

/** Every event the mirror understands, with where it sits in the chain. */
export type LedgerEvent = { readonly blockNumber: number; readonly logIndex: number; readonly blockHash: string } & (
  | Erc1056Event
  | {
      readonly kind: "party";
      readonly identity: string;
      readonly role: number;
    }
  | {
      readonly kind: "accreditation";
      readonly party: string;
      readonly credentialType: string;
      readonly actor: string;
      readonly status: number;
      readonly validFrom: number;
      readonly validUntil: number;
      readonly reason: number;
    }
  | {
      readonly kind: "typeRegistered";
      readonly id: string;
      readonly governingAccreditor: string;
      readonly name: string;
      readonly version: number;
      readonly schemaHash: string;
      readonly schemaUri: string;
    }
  | { readonly kind: "typeDeprecated"; readonly id: string }
  | { readonly kind: "listCreated"; readonly listId: bigint; readonly issuer: string; readonly purpose: number; readonly size: bigint }
  | { readonly kind: "entry"; readonly listId: bigint; readonly index: bigint; readonly value: boolean }
  | {
      readonly kind: "words";
      readonly listId: bigint;
      readonly wordIndexes: readonly bigint[];
      readonly masks: readonly bigint[];
      readonly value: boolean;
    }
  | { readonly kind: "ignored" }
);

/** The topic that selects an address in an indexed position. */
export function addressTopic(address: string): string {
  return zeroPadValue(getAddress(address), 32).toLowerCase();
}

/** bytes32 to text as ethr-did-resolver reads it: UTF-8 with trailing NULs removed. */
export function bytes32ToString(hex: string): string {
  return Buffer.from(hex.slice(2), "hex").toString("utf8").replace(/\0+$/, "");
}

/** Decodes an ERC-1056 event from a parsed log, or `undefined` for another event. */
export function decodeErc1056(d: LogDescription): Erc1056Event | undefined {
  const a = d.args;
  switch (d.name) {
    case "DIDOwnerChanged":
      return { kind: "owner", identity: getAddress(a[0] as string), owner: getAddress(a[1] as string) };
    case "DIDDelegateChanged":
      return {
        kind: "delegate",
        identity: getAddress(a[0] as string),
        delegateTypeRaw: (a[1] as string).toLowerCase(),
        delegateType: bytes32ToString(a[1] as string),
        delegate: getAddress(a[2] as string),
        validTo: a[3] as bigint,
      };
    case "DIDAttributeChanged":
      return {
        kind: "attribute",
        identity: getAddress(a[0] as string),
        nameRaw: (a[1] as string).toLowerCase(),
        name: bytes32ToString(a[1] as string),
        value: (a[2] as string).toLowerCase(),
        validTo: a[3] as bigint,
      };
    default:
      return undefined;
  }
}

/** Thrown when a log cannot be understood: the mirror must not go on as if it had applied it. */
export class UndecodableLogError extends Error {
  override readonly name = "UndecodableLogError";
}

/**
 * Decodes one log of the network's contracts. Every event of the three ABIs is known; a log that does not
 * decode means the node or the contracts are not what the descriptor says, and is an error.
 */
export function decodeLedgerLog(
  log: RawLog,
  addresses: { readonly didRegistry: string; readonly accreditationRegistry: string; readonly statusRegistry: string },
): LedgerEvent {
  const where = {
    blockNumber: Number(BigInt(log.blockNumber)),
    logIndex: Number(BigInt(log.logIndex)),
    blockHash: log.blockHash.toLowerCase(),
  };
  const address = log.address.toLowerCase();
  const iface =
    address === addresses.didRegistry
      ? didRegistryInterface
      : address === addresses.accreditationRegistry
        ? accreditationRegistryInterface
        : address === addresses.statusRegistry
          ? statusRegistryInterface
          : undefined;
  if (iface === undefined) throw new UndecodableLogError(`log from unexpected address ${log.address}`);
  // The status registry's batch events, the bulk of a large ledger's logs, decode in one linear pass.
  if (iface === statusRegistryInterface && log.topics.length === 2 && /^0x[0-9a-fA-F]{64}$/.test(log.topics[1] ?? "")) {
    const topic = log.topics[0]?.toLowerCase();
    const fast = topic === STATUS_WORDS_SET || topic === STATUS_WORDS_CLEARED ? decodeStatusWordsData(log.data) : undefined;
    if (fast !== undefined) {
      return { ...where, kind: "words", listId: BigInt(log.topics[1] as string), wordIndexes: [...fast.wordIndexes], masks: [...fast.masks], value: topic === STATUS_WORDS_SET };
    }
  }
  let d: LogDescription | null;
  try {
    d = iface.parseLog({ topics: [...log.topics], data: log.data });
  } catch (cause) {
    throw new UndecodableLogError(`undecodable log at block ${where.blockNumber}`, { cause });
  }
  if (d === null) throw new UndecodableLogError(`unknown event at block ${where.blockNumber} (${log.topics[0]})`);
  const erc1056 = iface === didRegistryInterface ? decodeErc1056(d) : undefined;
  if (erc1056 !== undefined) return { ...where, ...erc1056 };
  const a = d.args;
  switch (d.name) {
    case "PartyRegistered":
      return { ...where, kind: "party", identity: getAddress(a[0] as string), role: Number(a[3]) };
    case "AccreditationChanged":
      return {
        ...where,
        kind: "accreditation",
        party: getAddress(a[0] as string),
        credentialType: (a[1] as string).toLowerCase(),
        actor: getAddress(a[2] as string),
        status: Number(a[3]),
        validFrom: Number(a[4]),
        validUntil: Number(a[5]),
        reason: Number(a[6]),
      };
    case "CredentialTypeRegistered":
      return {
        ...where,
        kind: "typeRegistered",
        id: (a[0] as string).toLowerCase(),
        governingAccreditor: getAddress(a[1] as string),
        name: a[2] as string,
        version: Number(a[3]),
        schemaHash: (a[4] as string).toLowerCase(),
        schemaUri: a[5] as string,
      };
    case "CredentialTypeDeprecated":
      return { ...where, kind: "typeDeprecated", id: (a[0] as string).toLowerCase() };
    case "StatusListCreated":
      return {
        ...where,
        kind: "listCreated",
        listId: a[0] as bigint,
        issuer: getAddress(a[1] as string),
        purpose: Number(a[2]),
        size: a[3] as bigint,
      };
    case "StatusEntrySet":
    case "StatusEntryCleared":
      return { ...where, kind: "entry", listId: a[0] as bigint, index: a[1] as bigint, value: d.name === "StatusEntrySet" };
    case "StatusWordsSet":
    case "StatusWordsCleared":
      return {
        ...where,
        kind: "words",
        listId: a[0] as bigint,
        wordIndexes: [...(a[2] as bigint[])],
        masks: [...(a[3] as bigint[])],
        value: d.name === "StatusWordsSet",
      };
    // Known events that carry nothing verification reads (operators, root hand-over).
    case "StatusListOperatorSet":
    case "RootTransferStarted":
    case "RootTransferCanceled":
    case "RootTransferred":
      return { ...where, kind: "ignored" };
    default:
      throw new UndecodableLogError(`unhandled event ${d.name} at block ${where.blockNumber}`);
  }
}

/** `0x…` quantity for JSON-RPC. */
export function quantity(n: number | bigint): string {
  return toBeHex(n);
}
