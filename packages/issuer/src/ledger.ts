/**
 * The one seam between the issuer and ethers for ledger writes: signs transactions ahead of broadcast (so their
 * hash can be journaled first), finds out what became of them, and translates ethers' and the contracts'
 * errors into issuer codes. Nothing else in the package inspects an ethers error.
 */
import {
  Interface,
  type Provider,
  type Signer,
  type TransactionReceipt,
  Transaction,
  isError,
} from "ethers";
import { statusRegistryAbi } from "@mobile-id/chain";
import { type IssuerError, IssuerErrorCode, issuerError } from "./errors.ts";
import type { PreparedTxFields } from "./store/createIssuanceStore.ts";

export const statusRegistryInterface = new Interface(statusRegistryAbi);

export interface LedgerSettings {
  /** Blocks to wait for after inclusion (1: the including block; QBFT finality is immediate). */
  readonly confirmations: number;
  /** How long to wait for a receipt before leaving the operation pending for `reconcile`. */
  readonly timeoutMs: number;
  /**
   * Most words one batch transaction touches (contract cap 1,024). A change touching more words of one list
   * is split into several transactions. Lower it where blocks are small: a word first set costs ~22,000 gas.
   */
  readonly maxBatchWords: number;
  /** Interval between receipt polls. */
  readonly pollMs: number;
  /** Called before each transaction is (re)broadcast: the journal watcher counts the issuer's writes with it. */
  readonly onSend?: () => void;
}

/**
 * Fills in, estimates and signs a call to `to` with `signer`, without sending it. A revert in estimation (the
 * contract refuses) surfaces here, before anything is journaled.
 *
 * Signatures are deterministic (RFC 6979): the same call at the same nonce is the same transaction, hash
 * included. `journaled` tells whether a hash is in the journal already (a write the ledger lost, or one that
 * failed, made again at the same nonce): the gas limit is then raised by one unit to make a distinct one.
 */
export async function prepareTransaction(
  signer: Signer,
  to: string,
  data: string,
  journaled: (txHash: string) => boolean = () => false,
): Promise<PreparedTxFields> {
  let tx: Transaction;
  try {
    const populated = await signer.populateTransaction({ to, data });
    tx = Transaction.from(await signer.signTransaction(populated));
    for (let extra = 1n; tx.hash !== null && journaled(tx.hash) && extra <= 16n; extra++) {
      tx = Transaction.from(await signer.signTransaction({ ...populated, gasLimit: BigInt(populated.gasLimit ?? 0n) + extra }));
    }
  } catch (e) {
    throw translateLedgerError(e, "prepare");
  }
  if (tx.hash === null || tx.from === null) throw issuerError("LEDGER_REJECTED", "signed transaction is incomplete");
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
  tx: Pick<PreparedTxFields, "txHash" | "rawTx" | "sender" | "nonce">,
  settings: LedgerSettings,
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

/** Sends a transaction and waits for its receipt, for idempotent writes that need no journal. */
export async function sendAndWait(
  signer: Signer,
  provider: Provider,
  to: string,
  data: string,
  settings: LedgerSettings,
): Promise<TransactionReceipt> {
  const prepared = await prepareTransaction(signer, to, data);
  const fate = await settleTransaction(provider, prepared, settings);
  if (fate.kind === "mined" && fate.receipt.status === 1) return fate.receipt;
  if (fate.kind === "mined") {
    throw issuerError("LEDGER_REJECTED", "the transaction reverted", { details: { txHash: prepared.txHash } });
  }
  throw issuerError("LEDGER_UNAVAILABLE", "the transaction was not confirmed", {
    details: { txHash: prepared.txHash, fate: fate.kind },
    ...(fate.kind === "unknown" ? { cause: fate.cause } : {}),
  });
}

/** Contract errors that mean something specific to an issuer. */
const REVERT_CODES: Readonly<Record<string, { code: IssuerError["code"]; hint: string }>> = {
  StatusRegistryUnauthorized: {
    code: IssuerErrorCode.OPERATOR_NOT_AUTHORIZED,
    hint: "the issuer's owner key must name this operator key on the list (setOperator)",
  },
  StatusRegistryNotIssuerOwner: {
    code: IssuerErrorCode.OWNER_KEY_REQUIRED,
    hint: "the configured owner key is not the issuer identity's current ERC-1056 owner",
  },
  StatusRegistryNotIssuer: {
    code: IssuerErrorCode.ISSUER_NOT_IN_FORCE,
    hint: "the identity is not registered as an issuer in the accreditation registry",
  },
  StatusRegistryRevocationIsPermanent: {
    code: IssuerErrorCode.CREDENTIAL_REVOKED,
    hint: "revocation is permanent",
  },
};

/**
 * Translates an error thrown by ethers (or a contract revert it carries) into an issuer error: a decoded
 * contract error becomes its issuer code or `LEDGER_REJECTED`; anything else is `LEDGER_UNAVAILABLE`.
 */
export function translateLedgerError(e: unknown, stage: string): IssuerError {
  if (isError(e, "CALL_EXCEPTION")) {
    let decoded: { name: string; args: readonly unknown[] } | null = null;
    if (typeof e.data === "string" && e.data.length >= 10) {
      try {
        decoded = statusRegistryInterface.parseError(e.data);
      } catch {
        decoded = null;
      }
    }
    const name = decoded?.name ?? e.revert?.name ?? "unknown";
    const args = (decoded?.args ?? e.revert?.args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : a));
    const mapped = REVERT_CODES[name];
    return issuerError(mapped?.code ?? "LEDGER_REJECTED", `the ledger refused the transaction (${name})`, {
      cause: e,
      details: { stage, error: name, args },
      hint: mapped?.hint ?? "see details.error: the contract's custom error",
    });
  }
  if (isError(e, "INSUFFICIENT_FUNDS")) {
    return issuerError("LEDGER_REJECTED", "the sending key cannot pay for the transaction", {
      cause: e,
      details: { stage },
      hint: "fund the operator (or owner) key",
    });
  }
  return issuerError("LEDGER_UNAVAILABLE", "the ledger could not be reached", {
    cause: e,
    details: { stage },
    hint: "check the node's RPC URL and that it is running",
  });
}
