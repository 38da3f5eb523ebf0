import { SigningKey, computeAddress, hexlify } from "ethers";
import { randomBytes } from "@noble/hashes/utils";
import { type Clock, MobileIdError, systemClock, toPublicKeyEthrDid } from "@mobile-id/core/browser";
import { EnvelopeKind, sealEnvelope } from "./envelope.ts";
import { walletError } from "./errors.ts";
import {
  DEFAULT_KDF_COST,
  type KdfFloor,
  PRODUCTION_KDF_FLOOR,
  type ScryptCost,
  checkNewPassphrase,
  deriveKeys,
  newScryptParameters,
} from "./kdf.ts";
import { type Wallet, newWallet } from "./session.ts";
import { STATE_FORMAT, type StoredKey, type WalletState, encodeState } from "./state.ts";
import type { WalletStorage } from "./storage.ts";

export interface CreateWalletParameters {
  /** Must be empty: creating never overwrites an existing wallet (`WALLET_EXISTS`). */
  readonly storage: WalletStorage;
  /** At least 8 characters; normalised to NFKC before key derivation. */
  readonly passphrase: string;
  /** The network's chain id (from the network descriptor); it becomes part of the DID. */
  readonly chainId: number;
  /** scrypt cost; defaults to {@link DEFAULT_KDF_COST} and must meet the floor. */
  readonly kdf?: ScryptCost;
  /** Tests only: a floor below {@link PRODUCTION_KDF_FLOOR}. Files made under it are refused by default. */
  readonly unsafeKdfFloor?: KdfFloor;
  readonly now?: Clock;
}

export type CreateWalletReturnType = Wallet;

/**
 * Creates a holder wallet: a fresh secp256k1 key, its public-key `did:ethr` on `chainId`, and an encrypted
 * wallet file (generation 1) in `storage`.
 *
 * @example
 * ```ts
 * const wallet = await createWallet({ storage: fileWalletStorage({ path }), passphrase, chainId: descriptor.chainId });
 * wallet.did // "did:ethr:0x7a69:0x02…"
 * ```
 */
export async function createWallet(params: CreateWalletParameters): Promise<CreateWalletReturnType> {
  const { storage, passphrase, chainId } = params;
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new MobileIdError("INVALID_ARGUMENT", "chainId must be a positive integer", { details: { chainId } });
  }
  checkNewPassphrase(passphrase);
  const floor = params.unsafeKdfFloor ?? PRODUCTION_KDF_FLOOR;
  const kdf = newScryptParameters(params.kdf ?? DEFAULT_KDF_COST, floor);
  if ((await storage.read()) !== undefined) {
    throw walletError("WALLET_EXISTS", "the storage already holds a wallet", {
      hint: "open it, or restore a backup into it with importBackup",
    });
  }
  const now = (params.now ?? systemClock)();
  const key = generateKey(now);
  const state: WalletState = {
    format: STATE_FORMAT,
    did: toPublicKeyEthrDid(chainId, key.publicKey),
    chainId,
    identity: key.address,
    createdAt: now,
    keys: [key],
    credentials: [],
  };
  const keys = await deriveKeys(passphrase, kdf);
  const bytes = sealEnvelope({ kind: EnvelopeKind.WALLET, generation: 1, keys, plaintext: encodeState(state) });
  await storage.write(bytes);
  return newWallet({ storage, state, generation: 1, keys, storedBytes: bytes, floor, now: params.now });
}

/** A new random secp256k1 key record with the given status. */
export function generateKey(now: number, status: StoredKey["status"] = "current"): StoredKey & { readonly privateKey: string } {
  for (;;) {
    const secret = randomBytes(32);
    let signingKey: SigningKey;
    try {
      signingKey = new SigningKey(hexlify(secret));
    } catch {
      continue; // zero or >= the curve order: probability ~2^-128
    } finally {
      secret.fill(0);
    }
    return {
      address: computeAddress(signingKey.publicKey),
      publicKey: signingKey.compressedPublicKey.toLowerCase(),
      privateKey: signingKey.privateKey.toLowerCase(),
      status,
      createdAt: now,
    };
  }
}
