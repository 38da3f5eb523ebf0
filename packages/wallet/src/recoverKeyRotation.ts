import { Contract, type Provider, Transaction, getAddress, isAddress } from "ethers";
import { MobileIdError } from "@mobile-id/core/browser";
import { walletError } from "./errors.ts";
import { type Wallet, serialized, sessionOf } from "./session.ts";
import { currentKey } from "./state.ts";

const ERC1056_ABI = ["function identityOwner(address identity) view returns (address)"] as const;

export interface RecoverKeyRotationParameters {
  readonly wallet: Wallet;
  readonly provider: Provider;
  /** The ERC-1056 registry: `descriptor.contracts.didRegistry.address`. */
  readonly didRegistry: string;
  /** How long to wait for each transaction broadcast again, ms. Default 60,000. */
  readonly timeoutMs?: number;
}

export interface RecoverKeyRotationReturnType {
  /** The ledger's owner of the DID now (the wallet's signing key when all is well). */
  readonly owner: string;
  /** Owner changes the ledger had lost and that were broadcast again (their hashes), oldest first. */
  readonly rebroadcast: readonly string[];
}

/**
 * Makes sure the ledger still knows the wallet's key rotations. A ledger node restarted from an older state
 * (anvil persisting on a timer, killed) can lose a `changeOwner` transaction after the wallet completed the
 * rotation and erased the old key: the DID's owner on the ledger is then a key nobody holds any more, and every
 * presentation fails. The wallet keeps each rotation's signed bytes (saved before they were first broadcast),
 * so it broadcasts the lost ones again, oldest first, until the ledger names its current key. Nothing is signed
 * here; no key is needed. Call it when the wallet opens, or when a verifier says the holder's key is not the
 * DID's.
 *
 * Throws `WALLET_KEY_NOT_OWNER` when the ledger names an owner the wallet never had, `WALLET_ROTATION_FAILED`
 * when a rotation's bytes are missing or do not take effect, `LEDGER_UNAVAILABLE` when the ledger cannot be read.
 *
 * @example
 * ```ts
 * const { owner, rebroadcast } = await recoverKeyRotation({ wallet, provider, didRegistry });
 * ```
 */
export async function recoverKeyRotation(params: RecoverKeyRotationParameters): Promise<RecoverKeyRotationReturnType> {
  const { wallet, provider } = params;
  if (!isAddress(params.didRegistry)) throw new MobileIdError("INVALID_ARGUMENT", "didRegistry is not an address");
  const session = sessionOf(wallet);
  return serialized(session, async () => {
    const state = session.state;
    const registry = new Contract(getAddress(params.didRegistry), ERC1056_ABI, provider);
    const ownerOf = async () => {
      try {
        return getAddress(String(await registry.getFunction("identityOwner")(state.identity)));
      } catch (e) {
        throw new MobileIdError("LEDGER_UNAVAILABLE", "could not read identityOwner", { cause: e });
      }
    };
    const current = currentKey(state);
    let owner = await ownerOf();
    if (owner === current.address) return { owner, rebroadcast: [] };
    // The rotations the wallet made, in order: the DID's own key first, then each key the ledger was told to trust.
    const chain = state.keys
      .filter((k) => k.status !== "pending")
      .sort((a, b) => (a.activatedAt ?? 0) - (b.activatedAt ?? 0) || a.createdAt - b.createdAt);
    const from = chain.findIndex((k) => k.address === owner);
    if (from < 0) {
      throw walletError("WALLET_KEY_NOT_OWNER", "the ledger names an owner for this DID that this wallet never had", {
        details: { owner, signingKey: current.address },
        hint: "restore the latest backup; the key that owns this DID is not in this wallet",
      });
    }
    const rebroadcast: string[] = [];
    for (const key of chain.slice(from + 1)) {
      if (key.ownerChangeRawTx === undefined) {
        throw walletError("WALLET_ROTATION_FAILED", "the ledger lost a key rotation this wallet cannot replay", {
          details: { reason: "NO_SIGNED_TRANSACTION", owner, key: key.address },
          hint: "this rotation was made before signed rotations were kept; the DID's key must be recovered another way",
        });
      }
      const hash = Transaction.from(key.ownerChangeRawTx).hash as string;
      try {
        await provider.broadcastTransaction(key.ownerChangeRawTx);
      } catch {
        // "already known" and the like: the receipt below decides
      }
      const receipt = await provider.waitForTransaction(hash, 1, params.timeoutMs ?? 60_000).catch(() => null);
      owner = await ownerOf();
      if (receipt === null || receipt.status !== 1 || owner !== key.address) {
        throw walletError("WALLET_ROTATION_FAILED", "a key rotation the ledger lost did not take effect again", {
          details: { reason: "REPLAY_FAILED", owner, key: key.address, txHash: hash },
          hint: "call recoverKeyRotation again once the ledger node is reachable",
        });
      }
      rebroadcast.push(hash);
    }
    return { owner, rebroadcast };
  });
}
