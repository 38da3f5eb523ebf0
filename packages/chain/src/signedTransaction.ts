import { type Provider, type Signer, type TransactionReceipt, Transaction } from "ethers";
import { MobileIdError } from "@mobile-id/core";

/**
 * The one transaction sender: signs a contract call ahead of broadcast (so that its hash can be journaled
 * first, by the issuer's store or the governance journal), and finds out what became of it. Used by the issuer
 * for every status-list write and by `sendJournaled` for governance writes.
 */

/** A signed transaction, not yet broadcast: what a journal keeps to send it again. */
export interface PreparedTransaction {
  readonly txHash: string;
  /** Checksummed sending address. */
  readonly sender: string;
  readonly nonce: number;
  /** The serialized signed transaction (0x hex). */
  readonly rawTx: string;
}

/** How {@link settleTransaction} waits. */
export interface SettleTransactionSettings {
  /** Blocks to wait for after inclusion (1: the including block; QBFT finality is immediate). */
  readonly confirmations: number;
  /** How long to wait for a receipt before answering `unknown`. */
  readonly timeoutMs: number;
  /** Interval between receipt polls. */
  readonly pollMs: number;
  /** Called before each transaction is (re)broadcast (the journal watchers count writes with it). */
  readonly onSend?: () => void;
}

/**
 * The call data of a serialized signed transaction (to sign the same call again at another nonce).
 *
 * @example
 * ```ts
 * const again = await prepareTransaction(signer, to, transactionData(op.rawTx));
 * ```
 */
export function transactionData(rawTx: string): string {
  return Transaction.from(rawTx).data;
}

/**
 * Fills in, estimates and signs a call to `to` with `signer`, without sending it. A revert in estimation (the
 * contract refuses) surfaces here, before anything is journaled, as ethers' error (translate it with
 * `translateLedgerError` or `describeLedgerError`).
 *
 * Signatures are deterministic (RFC 6979): the same call at the same nonce is the same transaction, hash
 * included. `journaled` tells whether a hash is in the journal already (a write the ledger lost, or one that
 * failed, made again at the same nonce): the gas limit is then raised by one unit to make a distinct one.
 *
 * @example
 * ```ts
 * const prepared = await prepareTransaction(signer, registryAddress, data, store.isJournaled);
 * store.journal(prepared); // then broadcast it with settleTransaction
 * ```
 */
export async function prepareTransaction(
  signer: Signer,
  to: string,
  data: string,
  journaled: (txHash: string) => boolean = () => false,
): Promise<PreparedTransaction> {
  const populated = await signer.populateTransaction({ to, data });
  let tx = Transaction.from(await signer.signTransaction(populated));
  for (let extra = 1n; tx.hash !== null && journaled(tx.hash) && extra <= 16n; extra++) {
    tx = Transaction.from(await signer.signTransaction({ ...populated, gasLimit: BigInt(populated.gasLimit ?? 0n) + extra }));
  }
  if (tx.hash === null || tx.from === null) throw new MobileIdError("LEDGER_REJECTED", "signed transaction is incomplete");
  return { txHash: tx.hash, sender: tx.from, nonce: tx.nonce, rawTx: tx.serialized };
}

/** What became of a journaled transaction. */
export type TransactionFate =
  | { readonly kind: "mined"; readonly receipt: TransactionReceipt }
  | { readonly kind: "dropped"; readonly detail: string }
  | { readonly kind: "unknown"; readonly cause: unknown };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long a receipt may trail its block's state on the node (see settleTransaction). */
const RECEIPT_LAG_MS = 5000;

/**
 * Finds out what became of a signed transaction, broadcasting it (again) if the ledger has no receipt for it,
 * then polling until it is mined with enough confirmations, or its nonce is spent, or `timeoutMs` passes.
 * Idempotent: re-broadcasting a transaction the ledger already has, or whose nonce is spent, changes nothing.
 * - `mined`: a receipt exists (success or revert).
 * - `dropped`: no receipt and the sender's mined nonce is past the transaction's: it can never be mined. Also
 *   when the ledger's next nonce for the sender (pool included) is BELOW the transaction's: an earlier
 *   transaction of the key is gone (a ledger node that lost its last blocks), nothing will fill the gap, and the
 *   transaction is then not broadcast at all: queued behind a gap, it would be mined at some arbitrary later
 *   moment, after changes made since.
 * - `unknown`: neither yet (ledger unreachable, or still waiting in a pool): ask again later.
 * Polls on its own schedule rather than the provider's block subscription (4 s by default over HTTP).
 */
export async function settleTransaction(
  provider: Provider,
  tx: Pick<PreparedTransaction, "txHash" | "rawTx" | "sender" | "nonce">,
  settings: SettleTransactionSettings,
): Promise<TransactionFate> {
  settings.onSend?.();
  const deadline = Date.now() + settings.timeoutMs;
  let broadcastError: unknown;
  try {
    if ((await provider.getTransactionReceipt(tx.txHash)) === null) {
      const next = await provider.getTransactionCount(tx.sender, "pending");
      if (next < tx.nonce) {
        return { kind: "dropped", detail: `nonce gap: the ledger expects nonce ${next} of ${tx.sender}, the transaction has ${tx.nonce}` };
      }
      try {
        await provider.broadcastTransaction(tx.rawTx);
      } catch (e) {
        // "already known" or "nonce too low" are expected on a re-broadcast; the polling below decides.
        broadcastError = e;
      }
    }
    for (;;) {
      const receipt = await provider.getTransactionReceipt(tx.txHash);
      if (receipt !== null) {
        if (settings.confirmations <= 1 || (await receipt.confirmations()) >= settings.confirmations) {
          return { kind: "mined", receipt };
        }
      } else if ((await provider.getTransactionCount(tx.sender, "latest")) > tx.nonce) {
        // Mined between the two reads, or never to be. anvil makes a block's state readable before its receipts,
        // and while it writes its state file the receipts can lag by the length of the write: look again for a
        // while before calling the nonce spent by another transaction.
        const lateUntil = Date.now() + RECEIPT_LAG_MS;
        let late = await provider.getTransactionReceipt(tx.txHash);
        while (late === null && Date.now() < lateUntil) {
          await sleep(Math.min(settings.pollMs, 100));
          late = await provider.getTransactionReceipt(tx.txHash);
        }
        if (late === null) return { kind: "dropped", detail: `nonce ${tx.nonce} was spent by another transaction` };
        continue;
      }
      if (Date.now() >= deadline) return { kind: "unknown", cause: broadcastError ?? new Error("no receipt before the timeout") };
      await sleep(settings.pollMs);
    }
  } catch (cause) {
    return { kind: "unknown", cause };
  }
}

