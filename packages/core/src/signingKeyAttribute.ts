import { keccak_256 } from "@noble/hashes/sha3";
import { secp256k1 } from "@noble/curves/secp256k1";

/**
 * The ERC-1056 attribute names whose value is a secp256k1 public key that may sign: `veriKey` (ethr-did-resolver
 * lists it under `assertionMethod`) and `sigAuth` (also `authentication`), encoded for the DID document as hex
 * (the default), base64 or base58. The encoding is only how the resolver writes the key out: the registry holds
 * the same bytes whatever it says. Other algorithms (Ed25519, RSA…), `enc` keys and PEM are not keys an ES256K
 * signature can come from.
 */
const SIGNING_KEY_NAME = /^did\/pub\/Secp256k1\/(veriKey|sigAuth)(?:\/(?:hex|base64|base58))?$/;
const SEC1_PUBLIC_KEY = /^(0[23][0-9a-f]{64}|04[0-9a-f]{128})$/i;

/** A secp256k1 signing key an ERC-1056 attribute stands for. */
export interface SigningKeyAttribute {
  /** `veriKey` keys sign credentials only; `sigAuth` keys sign credentials and presentations. */
  readonly use: "veriKey" | "sigAuth";
  /** SEC1 bytes as the registry holds them (33 or 65). */
  readonly publicKey: Uint8Array;
  /** The Ethereum address of the key (lower case), as ES256K signer recovery gives it. */
  readonly address: string;
}

/**
 * Reads an ERC-1056 attribute (`name`, hex `value`) as a signing key, or `undefined` when it is not one: another
 * name, or a value that is no point on the curve. Validity in time is the caller's. Shared by the verifier (with
 * its DID-document numbering) and the phone wallet (issuer-signature and status checks), so both accept the same
 * keys. Pure.
 *
 * @example
 * ```ts
 * signingKeyAttribute("did/pub/Secp256k1/veriKey/hex", "0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71")
 * // { use: "veriKey", publicKey: Uint8Array(33), address: "0x…" }
 * ```
 */
export function signingKeyAttribute(name: string, value: string): SigningKeyAttribute | undefined {
  const m = SIGNING_KEY_NAME.exec(name);
  if (m === null) return undefined;
  const hex = value.startsWith("0x") ? value.slice(2) : value;
  if (!SEC1_PUBLIC_KEY.test(hex)) return undefined;
  const publicKey = Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
  let uncompressed: Uint8Array;
  try {
    // Throws for a point off the curve: such a key can sign nothing.
    uncompressed = secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false);
  } catch {
    return undefined;
  }
  const digest = keccak_256(uncompressed.subarray(1)).subarray(12);
  const address = `0x${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  return { use: m[1] as "veriKey" | "sigAuth", publicKey, address };
}
