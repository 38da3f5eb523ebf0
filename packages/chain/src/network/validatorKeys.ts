import { HDNodeWallet, Mnemonic, SigningKey, computeAddress, getAddress, isAddress } from "ethers";
import { MobileIdError } from "@mobile-id/core";
import { DEV_MNEMONIC } from "../devRoster.ts";

/** A Besu node as the network's files name it: its address and, when its public key is known, its enode id. */
export interface BesuNodeIdentity {
  /** The node's address (for a validator: the validator address in `extraData`). */
  readonly address: string;
  /** The node public key, uncompressed, 64 bytes without the 0x04 prefix (the enode id); unknown for a bare address. */
  readonly enodeId: string | undefined;
  /** `host:port` of its P2P endpoint, when given. */
  readonly endpoint: string | undefined;
}

/**
 * Parses one validator (or node) as an operator gives it: an address, or a public key (uncompressed 64/65 bytes
 * or compressed 33 bytes, as `besu public-key export` prints it), optionally followed by `@host:port`. A
 * 32-byte value is refused: it can only be a private key, and private keys never enter network set-up.
 *
 * @example
 * ```ts
 * const v = parseNodeIdentity("0x04…@10.0.0.11:30303");
 * ```
 */
export function parseNodeIdentity(spec: string): BesuNodeIdentity {
  const at = spec.indexOf("@");
  const key = (at < 0 ? spec : spec.slice(0, at)).trim();
  const endpoint = at < 0 ? undefined : spec.slice(at + 1).trim();
  if (endpoint !== undefined && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(endpoint)) {
    throw new MobileIdError("INVALID_ARGUMENT", `not a host:port endpoint: ${endpoint}`);
  }
  const hex = key.startsWith("0x") ? key.slice(2) : key;
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new MobileIdError("INVALID_ARGUMENT", `not an address or public key: ${key}`);
  if (hex.length === 64) {
    throw new MobileIdError("INVALID_ARGUMENT", "this looks like a private key (32 bytes): give the node's address or public key", {
      hint: "besu --data-path=DIR public-key export --to=key.pub prints the public key",
    });
  }
  if (hex.length === 40 && isAddress(`0x${hex}`)) {
    return { address: getAddress(`0x${hex}`), enodeId: undefined, endpoint };
  }
  let full: string;
  if (hex.length === 128) full = `0x04${hex}`;
  else if (hex.length === 130 || hex.length === 66) full = `0x${hex}`;
  else throw new MobileIdError("INVALID_ARGUMENT", `not an address or public key: ${key}`);
  let uncompressed: string;
  try {
    uncompressed = SigningKey.computePublicKey(full, false);
  } catch (cause) {
    throw new MobileIdError("INVALID_ARGUMENT", `not a secp256k1 public key: ${key}`, { cause });
  }
  return { address: computeAddress(uncompressed), enodeId: uncompressed.slice(4).toLowerCase(), endpoint };
}

/** A development node key: public, derived from the development mnemonic; for a local trial only. */
export interface DevNodeKey extends BesuNodeIdentity {
  /** Hex without 0x, as Besu's `key` file holds it. */
  readonly privateKeyFileContent: string;
}

/**
 * The `index`-th development node key (`m/44'/60'/1'/0/index` of the public development mnemonic: apart from
 * the development accounts, and as public as they are).
 *
 * @example
 * ```ts
 * const validator = devNodeKey(0, "172.16.239.11:30303");
 * ```
 */
export function devNodeKey(index: number, endpoint?: string): DevNodeKey {
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/1'/0/${index}`);
  return {
    address: getAddress(wallet.address),
    enodeId: wallet.signingKey.publicKey.slice(4).toLowerCase(),
    endpoint,
    privateKeyFileContent: wallet.privateKey.slice(2),
  };
}
