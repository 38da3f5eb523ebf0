import { decodeBytes32String, encodeBytes32String, getBytes, keccak256, concat, toUtf8Bytes } from "ethers";
import { MobileIdError } from "../errors.ts";

/**
 * Claim identifiers: how the ledger names the claims a relying party may ask for. A claim path inside a
 * credential subject (`["familyName"]`, DCQL's `["age_equal_or_over", "19"]`) is joined with "." and stored as a
 * left-aligned UTF-8 `bytes32` (at most 31 bytes). A list is canonical when its identifiers are strictly
 * ascending as 256-bit numbers (byte order of the strings), so one set has exactly one commitment on chain:
 * the first 20 bytes of `keccak256` over the concatenated identifiers (`RelyingPartyRegistry`).
 * Identifiers name schema fields, never values: nothing about a person reaches the ledger.
 */

/** Longest identifier, in UTF-8 bytes (one `bytes32` with a terminating zero). */
export const MAX_CLAIM_IDENTIFIER_BYTES = 31;
/** Most claims one relying party may be permitted per credential type (the contract's `MAX_CLAIMS_PER_TYPE`). */
export const MAX_CLAIMS_PER_TYPE = 32;

/**
 * The identifier of a claim path: its components joined with ".", `null` (any array element) written `*`.
 * Throws `INVALID_ARGUMENT` for an empty path, a component containing "." or an empty one, or a result longer
 * than 31 bytes.
 *
 * @example
 * ```ts
 * claimIdentifier(["age_equal_or_over", "19"]) // "age_equal_or_over.19"
 * ```
 */
export function claimIdentifier(path: readonly (string | number | null)[] | string): string {
  const parts = typeof path === "string" ? path.split(".") : path.map((p) => (p === null ? "*" : String(p)));
  if (parts.length === 0 || parts.some((p) => p === "" || p.includes("."))) {
    throw new MobileIdError("INVALID_ARGUMENT", "a claim path needs non-empty components without '.'", { details: { path } });
  }
  const id = parts.join(".");
  if (toUtf8Bytes(id).length > MAX_CLAIM_IDENTIFIER_BYTES) {
    throw new MobileIdError("INVALID_ARGUMENT", `a claim identifier is at most ${MAX_CLAIM_IDENTIFIER_BYTES} bytes`, {
      details: { path: id },
    });
  }
  return id;
}

/**
 * The canonical on-chain form of a set of claim paths: unique `bytes32` identifiers, strictly ascending.
 *
 * @example
 * ```ts
 * const ids = encodeClaimIdentifiers(["familyName", "enrollmentStatus"]); // sorted bytes32 hex strings
 * ```
 */
export function encodeClaimIdentifiers(paths: readonly (string | readonly (string | number | null)[])[]): string[] {
  const unique = new Set(paths.map((p) => claimIdentifier(p)));
  if (unique.size > MAX_CLAIMS_PER_TYPE) {
    throw new MobileIdError("INVALID_ARGUMENT", `at most ${MAX_CLAIMS_PER_TYPE} claims per credential type`, {
      details: { count: unique.size },
    });
  }
  // Equal-length lowercase hex compares like the 256-bit numbers the contract compares.
  return [...unique].map((id) => encodeBytes32String(id).toLowerCase()).sort();
}

/**
 * The claim paths of on-chain identifiers (as `bytes32` hex strings).
 *
 * @example
 * ```ts
 * decodeClaimIdentifiers(encodeClaimIdentifiers(["birthDate"])) // ["birthDate"]
 * ```
 */
export function decodeClaimIdentifiers(ids: readonly string[]): string[] {
  return ids.map((id) => decodeBytes32String(id));
}

/**
 * The commitment the contract stores for a canonical identifier list: the first 20 bytes of `keccak256` over
 * the concatenated identifiers, or 20 zero bytes for the empty list.
 *
 * @example
 * ```ts
 * const digest = claimsDigest(encodeClaimIdentifiers(["birthDate"])); // "0x…" (40 hex digits)
 * ```
 */
export function claimsDigest(ids: readonly string[]): string {
  if (ids.length === 0) return `0x${"00".repeat(20)}`;
  return keccak256(concat(ids.map((id) => getBytes(id)))).slice(0, 42);
}
