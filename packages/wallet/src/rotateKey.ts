import { Contract, type Provider, Transaction, Wallet as EthersWallet, getAddress, isAddress } from "ethers";
import { MobileIdError } from "@mobile-id/core/browser";
import { generateKey } from "./createWallet.ts";
import { walletError } from "./errors.ts";
import { type Wallet, persist, serialized, sessionOf } from "./session.ts";
import { type WalletState, currentKey, pendingKey } from "./state.ts";

/** The two ERC-1056 functions the wallet uses (a frozen standard: this ABI never changes). */
const ERC1056_ABI = [
  "function identityOwner(address identity) view returns (address)",
  "function changeOwner(address identity, address newOwner)",
] as const;

export interface RotateKeyParameters {
  readonly wallet: Wallet;
  /** A provider of the wallet's chain; the transaction is signed by the wallet's current key and sent through it. */
  readonly provider: Provider;
  /** The ERC-1056 registry: `descriptor.contracts.didRegistry.address`. */
  readonly didRegistry: string;
  /** Blocks to wait for (default 1). */
  readonly confirmations?: number;
  /** How long to wait for the receipt (default 120 s). */
  readonly timeoutMs?: number;
}

export interface RotateKeyReturnType {
  readonly previousKeyAddress: string;
  readonly newKeyAddress: string;
  /** The `changeOwner` transaction; `undefined` when an earlier call's transaction was found already mined. */
  readonly transactionHash: string | undefined;
  /** True when this call completed a rotation that an earlier call had started. */
  readonly resumed: boolean;
}

/**
 * Rotates the holder's key: ERC-1056 `changeOwner(identity, newKey)` sent from the current key. The DID does not
 * change; the new key signs presentations from then on; credentials stay. The current key's address
 * (`wallet.signingKeyAddress`) pays the gas: before the first rotation that is the identity's address, after it
 * the new key's. On a gas-free permissioned network nothing needs funding.
 *
 * Crash safety: the new key is generated and saved (as `pending`) before the transaction is sent, and only
 * becomes `current` once the ledger shows it as the owner. A rotation interrupted at any point is completed by
 * calling `rotateKey` again, which reuses the same pending key (never a second one), so whichever transaction
 * the ledger eventually mines, the wallet holds the owning key. The retired key's private part is erased.
 *
 * Throws `CHAIN_MISMATCH` (provider on another chain), `LEDGER_UNAVAILABLE` (reads failed),
 * `WALLET_KEY_NOT_OWNER` (the ledger names an owner the wallet does not hold), `WALLET_INSUFFICIENT_FUNDS`
 * (the current key's address cannot pay the gas; nothing was changed), `WALLET_ROTATION_FAILED`
 * (sending or mining failed; the pending key is kept for a retry).
 *
 * @example
 * ```ts
 * const r = await rotateKey({ wallet, provider, didRegistry: descriptor.contracts.didRegistry.address });
 * r.newKeyAddress === wallet.signingKeyAddress // true
 * ```
 */
export async function rotateKey(params: RotateKeyParameters): Promise<RotateKeyReturnType> {
  const { wallet, provider } = params;
  if (!isAddress(params.didRegistry)) throw new MobileIdError("INVALID_ARGUMENT", "didRegistry is not an address");
  const session = sessionOf(wallet);
  return serialized(session, async () => {
    const state = session.state;
    const chainId = await ledger("read the chain id", async () => (await provider.getNetwork()).chainId);
    if (chainId !== BigInt(state.chainId)) {
      throw new MobileIdError("CHAIN_MISMATCH", "the provider is on another chain than the wallet's DID", {
        details: { provider: chainId.toString(), wallet: state.chainId },
      });
    }
    const registry = new Contract(getAddress(params.didRegistry), ERC1056_ABI, provider);
    const ownerOf = () => ledger("read identityOwner", async () => getAddress(String(await registry.getFunction("identityOwner")(state.identity))));
    const current = currentKey(state);
    const existing = pendingKey(state);
    const owner = await ownerOf();

    if (existing !== undefined && owner === existing.address) {
      // An earlier call's transaction was mined after that call gave up (or crashed): just record it.
      await persist(session, promote(state, session.now(), undefined));
      return { previousKeyAddress: current.address, newKeyAddress: existing.address, transactionHash: undefined, resumed: true };
    }
    if (owner !== current.address) {
      throw walletError("WALLET_KEY_NOT_OWNER", "the ledger names another owner for this DID", {
        details: { owner, signingKey: current.address, pendingKey: existing?.address },
        hint: "restore the latest backup; the key that owns this DID is not in this wallet",
      });
    }
    const pending = existing ?? generateKey(session.now(), "pending");
    const signer = new EthersWallet(current.privateKey, provider);
    const changeOwner = (registry.connect(signer) as Contract).getFunction("changeOwner");

    // Pre-flight, before anything is saved or sent: the current key pays for the transaction (after a rotation
    // that is the new key's address, not the identity's).
    const [balance, fees] = await ledger("read the balance and fees", () =>
      Promise.all([provider.getBalance(current.address), provider.getFeeData()]),
    );
    let gas: bigint;
    try {
      gas = await changeOwner.estimateGas(state.identity, pending.address);
    } catch (e) {
      throw walletError("WALLET_ROTATION_FAILED", "the owner change would not succeed", {
        cause: e,
        details: { reason: errorCodeOf(e) },
      });
    }
    const required = gas * (fees.maxFeePerGas ?? fees.gasPrice ?? 0n);
    if (balance < required) {
      throw walletError("WALLET_INSUFFICIENT_FUNDS", "the signing key cannot pay for the owner change", {
        details: { payer: current.address, balance: balance.toString(), required: required.toString() },
        hint: `send native currency to ${current.address}, then retry`,
      });
    }
    // Signed here and saved with the pending key before it is broadcast (a journal of one): a ledger node that
    // later loses the transaction can be given these bytes again, although the key that signs them is erased
    // once the rotation completes (recoverKeyRotation).
    let signed: Transaction;
    try {
      const populated = await signer.populateTransaction(await changeOwner.populateTransaction(state.identity, pending.address));
      signed = Transaction.from(await signer.signTransaction(populated));
    } catch (e) {
      throw walletError("WALLET_ROTATION_FAILED", "the owner change could not be prepared; the new key is kept for a retry", {
        cause: e,
        details: { reason: errorCodeOf(e), pendingKey: pending.address },
      });
    }
    const journaled = { ...pending, ownerChangeRawTx: signed.serialized };
    await persist(session, { ...state, keys: [...state.keys.filter((k) => k.status !== "pending"), journaled] });

    let transactionHash: string | undefined;
    try {
      transactionHash = String(signed.hash);
      const tx = await provider.broadcastTransaction(signed.serialized);
      const receipt = await tx.wait(params.confirmations ?? 1, params.timeoutMs ?? 120_000);
      if (receipt === null || receipt.status !== 1) throw new Error("changeOwner reverted");
    } catch (e) {
      // A retry of a rotation whose first transaction was mined meanwhile fails here (the sender is no longer the
      // owner), yet the rotation happened: believe the ledger, not the error.
      if ((await ownerOf().catch(() => undefined)) === pending.address) {
        await persist(session, promote(session.state, session.now(), transactionHash));
        return { previousKeyAddress: current.address, newKeyAddress: pending.address, transactionHash, resumed: existing !== undefined };
      }
      throw walletError("WALLET_ROTATION_FAILED", "the owner change did not complete; the new key is kept for a retry", {
        cause: e,
        details: { reason: errorCodeOf(e), pendingKey: pending.address },
        hint: "call rotateKey again (it reuses the same new key)",
      });
    }
    const after = await ownerOf();
    if (after !== pending.address) {
      throw walletError("WALLET_ROTATION_FAILED", "the ledger does not show the new key as owner", {
        details: { reason: "OWNER_UNCHANGED", owner: after, pendingKey: pending.address, transactionHash },
      });
    }
    await persist(session, promote(session.state, session.now(), transactionHash));
    return { previousKeyAddress: current.address, newKeyAddress: pending.address, transactionHash, resumed: existing !== undefined };
  });
}

/** The pending key becomes current; the current one retires and loses its private key. */
function promote(state: WalletState, now: number, transactionHash: string | undefined): WalletState {
  return {
    ...state,
    keys: state.keys.map((k) => {
      if (k.status === "current") {
        const { privateKey: _erased, ...rest } = k;
        return { ...rest, status: "retired" as const, retiredAt: now };
      }
      if (k.status === "pending") {
        return { ...k, status: "current" as const, activatedAt: now, ...(transactionHash === undefined ? {} : { ownerChangeTx: transactionHash.toLowerCase() }) };
      }
      return k;
    }),
  };
}

async function ledger<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw new MobileIdError("LEDGER_UNAVAILABLE", `could not ${what}`, { cause: e, details: { reason: errorCodeOf(e) } });
  }
}

/** ethers puts a stable `code` on its errors (e.g. INSUFFICIENT_FUNDS, TIMEOUT); we pass it on, never the message. */
function errorCodeOf(e: unknown): string {
  const code = e !== null && typeof e === "object" ? (e as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : "UNKNOWN";
}
