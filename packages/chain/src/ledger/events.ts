import { Interface, type LogDescription, getAddress, toBeHex, zeroPadValue } from "ethers";
import { accreditationRegistryAbi, didRegistryAbi, relyingPartyRegistryAbi, statusRegistryAbi } from "../generated/contracts.ts";
import { decodeStatusWordsData } from "./decodeStatusWords.ts";

/** ABI coders of the three contracts (module-level: pure, immutable). */
export const didRegistryInterface = new Interface(didRegistryAbi);
export const accreditationRegistryInterface = new Interface(accreditationRegistryAbi);
export const statusRegistryInterface = new Interface(statusRegistryAbi);
export const relyingPartyRegistryInterface = new Interface(relyingPartyRegistryAbi);

const STATUS_WORDS_SET = statusRegistryInterface.getEvent("StatusWordsSet")?.topicHash.toLowerCase();
const STATUS_WORDS_CLEARED = statusRegistryInterface.getEvent("StatusWordsCleared")?.topicHash.toLowerCase();

/**
 * A raw log as `eth_getLogs` returns it. Quantities may also be numbers (an ethers `Log` mapped with
 * `logIndex: log.index`), so that every reader of the ledger decodes through {@link decodeLedgerLog}.
 */
export interface RawLog {
  readonly address: string;
  readonly topics: readonly string[];
  readonly data: string;
  readonly blockNumber: string | number;
  readonly blockHash: string;
  readonly logIndex: string | number;
  readonly transactionHash?: string;
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

/** Where a decoded event sits in the chain. Events are totally ordered by `(blockNumber, logIndex)`. */
export interface LogLocation {
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly blockHash: string;
  /** As the node gave it; `""` when the log came without one. */
  readonly transactionHash: string;
}

/**
 * Every event of the three contracts, decoded with all its fields, with where it sits in the chain. The
 * verifier's mirror and the auditor's reports read the same objects. Enum fields (`role`, `status`,
 * `purpose`) are the contracts' numbers; see `AccreditationStatus`, `PartyRole`, `StatusPurpose`.
 */
export type LedgerEvent = LogLocation & (
  | Erc1056Event
  | {
      readonly kind: "party";
      readonly identity: string;
      readonly id: number;
      readonly registeredBy: string;
      readonly role: number;
      readonly name: string;
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
  | { readonly kind: "typeDeprecated"; readonly id: string; readonly root: string; readonly reason: number }
  | { readonly kind: "rootTransferStarted"; readonly currentRoot: string; readonly newRoot: string; readonly acceptSchedule: number }
  | { readonly kind: "rootTransferCanceled"; readonly currentRoot: string; readonly pendingRoot: string }
  | { readonly kind: "rootTransferred"; readonly previousRoot: string; readonly newRoot: string }
  | {
      readonly kind: "listCreated";
      readonly listId: bigint;
      readonly issuer: string;
      readonly purpose: number;
      readonly size: bigint;
      readonly sender: string;
    }
  | { readonly kind: "operator"; readonly listId: bigint; readonly operator: string; readonly allowed: boolean; readonly sender: string }
  | { readonly kind: "entry"; readonly listId: bigint; readonly index: bigint; readonly value: boolean; readonly reason: number }
  | {
      readonly kind: "words";
      readonly listId: bigint;
      readonly wordIndexes: readonly bigint[];
      readonly masks: readonly bigint[];
      readonly value: boolean;
      readonly reason: number;
    }
  | { readonly kind: "rpRegistered"; readonly relyingParty: string; readonly registrar: string; readonly name: string; readonly purpose: string }
  | {
      readonly kind: "rpChanged";
      readonly relyingParty: string;
      readonly actor: string;
      readonly status: number;
      readonly validFrom: number;
      readonly validUntil: number;
      readonly reason: number;
    }
  | {
      readonly kind: "rpClaimsSet";
      readonly relyingParty: string;
      readonly credentialType: string;
      readonly actor: string;
      readonly claimsDigest: string;
      readonly claims: readonly string[];
    }
);

/** The `kind` of a {@link LedgerEvent}. */
export type LedgerEventKind = LedgerEvent["kind"];

/** The topic that selects an address in an indexed position. */
export function addressTopic(address: string): string {
  return zeroPadValue(getAddress(address), 32).toLowerCase();
}

/** The topic that selects a uint256 in an indexed position (a list id). */
export function uintTopic(value: bigint | number): string {
  return zeroPadValue(toBeHex(value), 32);
}

/** The three contracts by the descriptor's contract key. */
export type ContractKey = "didRegistry" | "accreditationRegistry" | "statusRegistry" | "relyingPartyRegistry";

const INTERFACES: Readonly<Record<ContractKey, Interface>> = {
  didRegistry: didRegistryInterface,
  accreditationRegistry: accreditationRegistryInterface,
  statusRegistry: statusRegistryInterface,
  relyingPartyRegistry: relyingPartyRegistryInterface,
};

/**
 * Topic 0 of a contract's event (its signature hash), for `eth_getLogs` filters.
 *
 * @example
 * ```ts
 * eventTopic("statusRegistry", "StatusListCreated"); // "0x…"
 * ```
 */
export function eventTopic(contract: ContractKey, eventName: string): string {
  const event = INTERFACES[contract].getEvent(eventName);
  if (event === null) throw new RangeError(`no event ${eventName} in the ${contract} ABI`);
  return event.topicHash;
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
 * Decodes one log of the network's contracts (addresses in lower case; a contract left out is not expected).
 * Every event of the three ABIs is known; a log that does not decode means the node or the contracts are not
 * what the descriptor says, and is an error. The verifier's mirror, the auditor and the issuer (its receipts)
 * all decode here.
 *
 * @example
 * ```ts
 * const event = decodeLedgerLog(log, { statusRegistry: address.toLowerCase() });
 * if (event.kind === "listCreated") console.log(event.listId);
 * ```
 */
export function decodeLedgerLog(
  log: RawLog,
  addresses: { readonly didRegistry?: string; readonly accreditationRegistry?: string; readonly statusRegistry?: string; readonly relyingPartyRegistry?: string },
): LedgerEvent {
  const where: LogLocation = {
    blockNumber: Number(BigInt(log.blockNumber)),
    logIndex: Number(BigInt(log.logIndex)),
    blockHash: log.blockHash.toLowerCase(),
    transactionHash: log.transactionHash ?? "",
  };
  const address = log.address.toLowerCase();
  const iface =
    address === addresses.didRegistry
      ? didRegistryInterface
      : address === addresses.accreditationRegistry
        ? accreditationRegistryInterface
        : address === addresses.statusRegistry
          ? statusRegistryInterface
          : address === addresses.relyingPartyRegistry
            ? relyingPartyRegistryInterface
            : undefined;
  if (iface === undefined) throw new UndecodableLogError(`log from unexpected address ${log.address}`);
  // The status registry's batch events, the bulk of a large ledger's logs, decode in one linear pass.
  if (iface === statusRegistryInterface && log.topics.length === 2 && /^0x[0-9a-fA-F]{64}$/.test(log.topics[1] ?? "")) {
    const topic = log.topics[0]?.toLowerCase();
    const fast = topic === STATUS_WORDS_SET || topic === STATUS_WORDS_CLEARED ? decodeStatusWordsData(log.data) : undefined;
    if (fast !== undefined) {
      return {
        ...where,
        kind: "words",
        listId: BigInt(log.topics[1] as string),
        wordIndexes: [...fast.wordIndexes],
        masks: [...fast.masks],
        value: topic === STATUS_WORDS_SET,
        reason: fast.reason,
      };
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
  // Numbers past 2^53 are no value any contract field can hold here: fail closed rather than round.
  const int = (v: unknown): number => {
    const n = BigInt(v as bigint);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new UndecodableLogError(`a number out of range at block ${where.blockNumber}`);
    return Number(n);
  };
  const addr = (v: unknown): string => getAddress(v as string);
  switch (d.name) {
    case "PartyRegistered":
      return { ...where, kind: "party", identity: addr(a[0]), id: int(a[1]), registeredBy: addr(a[2]), role: int(a[3]), name: a[4] as string };
    case "AccreditationChanged":
      return {
        ...where,
        kind: "accreditation",
        party: addr(a[0]),
        credentialType: (a[1] as string).toLowerCase(),
        actor: addr(a[2]),
        status: int(a[3]),
        validFrom: int(a[4]),
        validUntil: int(a[5]),
        reason: int(a[6]),
      };
    case "CredentialTypeRegistered":
      return {
        ...where,
        kind: "typeRegistered",
        id: (a[0] as string).toLowerCase(),
        governingAccreditor: addr(a[1]),
        name: a[2] as string,
        version: int(a[3]),
        schemaHash: (a[4] as string).toLowerCase(),
        schemaUri: a[5] as string,
      };
    case "CredentialTypeDeprecated":
      return { ...where, kind: "typeDeprecated", id: (a[0] as string).toLowerCase(), root: addr(a[1]), reason: int(a[2]) };
    case "RootTransferStarted":
      return { ...where, kind: "rootTransferStarted", currentRoot: addr(a[0]), newRoot: addr(a[1]), acceptSchedule: int(a[2]) };
    case "RootTransferCanceled":
      return { ...where, kind: "rootTransferCanceled", currentRoot: addr(a[0]), pendingRoot: addr(a[1]) };
    case "RootTransferred":
      return { ...where, kind: "rootTransferred", previousRoot: addr(a[0]), newRoot: addr(a[1]) };
    case "StatusListCreated":
      return { ...where, kind: "listCreated", listId: a[0] as bigint, issuer: addr(a[1]), purpose: int(a[2]), size: a[3] as bigint, sender: addr(a[4]) };
    case "StatusListOperatorSet":
      return { ...where, kind: "operator", listId: a[0] as bigint, operator: addr(a[1]), allowed: Boolean(a[2]), sender: addr(a[3]) };
    case "StatusEntrySet":
    case "StatusEntryCleared":
      return { ...where, kind: "entry", listId: a[0] as bigint, index: a[1] as bigint, value: d.name === "StatusEntrySet", reason: int(a[2]) };
    case "StatusWordsSet":
    case "StatusWordsCleared":
      return {
        ...where,
        kind: "words",
        listId: a[0] as bigint,
        wordIndexes: [...(a[2] as bigint[])],
        masks: [...(a[3] as bigint[])],
        value: d.name === "StatusWordsSet",
        reason: int(a[1]),
      };
    case "RelyingPartyRegistered":
      return { ...where, kind: "rpRegistered", relyingParty: addr(a[0]), registrar: addr(a[1]), name: a[2] as string, purpose: a[3] as string };
    case "RelyingPartyChanged":
      return { ...where, kind: "rpChanged", relyingParty: addr(a[0]), actor: addr(a[1]), status: int(a[2]), validFrom: int(a[3]), validUntil: int(a[4]), reason: int(a[5]) };
    case "RelyingPartyClaimsSet":
      return {
        ...where,
        kind: "rpClaimsSet",
        relyingParty: addr(a[0]),
        credentialType: (a[1] as string).toLowerCase(),
        actor: addr(a[2]),
        claimsDigest: (a[3] as string).toLowerCase(),
        claims: [...(a[4] as string[])].map((c) => c.toLowerCase()),
      };
    default:
      throw new UndecodableLogError(`unhandled event ${d.name} at block ${where.blockNumber}`);
  }
}

/** `0x…` quantity for JSON-RPC. */
export function quantity(n: number | bigint): string {
  return toBeHex(n);
}
