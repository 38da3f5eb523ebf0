import { decodeRlp, encodeRlp, getAddress, isHexString, zeroPadValue } from "ethers";
import { MobileIdError } from "@mobile-id/core";

/**
 * The genesis `extraData` of a Besu QBFT network whose validators are chosen by block header: the RLP list
 * `[32-byte vanity, [validator addresses], vote (none: empty list), round (0: empty bytes), seals (none: empty list)]`.
 * Besu's `besu rlp encode --type=QBFT_EXTRA_DATA` produces the same bytes.
 *
 * @example
 * ```ts
 * const extraData = encodeQbftExtraData(["0x4592c8e45706cc08b8f44b11e43cba0cfc5892cb"]);
 * ```
 */
export function encodeQbftExtraData(validators: readonly string[]): string {
  if (validators.length === 0) {
    throw new MobileIdError("INVALID_ARGUMENT", "a QBFT network needs at least one validator");
  }
  const addresses = validators.map((v) => getAddress(v));
  if (new Set(addresses).size !== addresses.length) {
    throw new MobileIdError("INVALID_ARGUMENT", "a validator is listed twice", { details: { validators: addresses } });
  }
  return encodeRlp([zeroPadValue("0x", 32), addresses, [], "0x", []]);
}

/** The decoded parts of a QBFT `extraData`. */
export interface QbftExtraData {
  readonly vanity: string;
  readonly validators: readonly string[];
  /** `undefined` when the block carries no vote. */
  readonly vote: { readonly recipient: string; readonly add: boolean } | undefined;
  readonly round: number;
  readonly seals: readonly string[];
}

/**
 * Decodes a QBFT `extraData` (the inverse of {@link encodeQbftExtraData}; also reads votes, rounds and seals of
 * later blocks). Throws `INVALID_ARGUMENT` for anything that is not the five-element QBFT list.
 *
 * @example
 * ```ts
 * const { validators } = decodeQbftExtraData(genesis.extraData);
 * ```
 */
export function decodeQbftExtraData(extraData: string): QbftExtraData {
  const bad = (why: string) => new MobileIdError("INVALID_ARGUMENT", `not a QBFT extraData: ${why}`);
  if (!isHexString(extraData)) throw bad("not hex");
  let decoded: ReturnType<typeof decodeRlp>;
  try {
    decoded = decodeRlp(extraData);
  } catch (cause) {
    throw new MobileIdError("INVALID_ARGUMENT", "not a QBFT extraData: not RLP", { cause });
  }
  if (!Array.isArray(decoded) || decoded.length !== 5) throw bad("not a five-element list");
  const [vanity, validators, vote, round, seals] = decoded;
  if (typeof vanity !== "string" || (vanity.length - 2) / 2 !== 32) throw bad("vanity is not 32 bytes");
  if (!Array.isArray(validators) || !validators.every((v) => typeof v === "string" && v.length === 42)) {
    throw bad("validators are not 20-byte addresses");
  }
  if (!Array.isArray(vote)) throw bad("vote is not a list");
  let parsedVote: QbftExtraData["vote"];
  if (vote.length === 2 && typeof vote[0] === "string" && typeof vote[1] === "string") {
    parsedVote = { recipient: getAddress(vote[0]), add: vote[1] === "0xff" };
  } else if (vote.length !== 0) {
    throw bad("vote is neither empty nor [recipient, type]");
  }
  if (typeof round !== "string" || round.length > 10) throw bad("round is not a 4-byte integer");
  if (!Array.isArray(seals) || !seals.every((s) => typeof s === "string")) throw bad("seals are not a list of bytes");
  return {
    vanity,
    validators: (validators as string[]).map((v) => getAddress(v)),
    vote: parsedVote,
    round: round === "0x" ? 0 : Number(round),
    seals: seals as string[],
  };
}
