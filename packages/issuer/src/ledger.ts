/**
 * The issuer's ledger writes over chain's one transaction sender (`prepareTransaction` / `settleTransaction`),
 * with chain's error classification (`describeLedgerError`) worded as issuer codes.
 */
import {
  type Provider,
  type SettleTransactionSettings,
  type Signer,
  type TransactionReceipt,
  describeLedgerError,
  prepareTransaction as signTransaction,
  settleTransaction,
  statusRegistryInterface,
} from "@mobile-id/chain";
import { MobileIdError } from "@mobile-id/core";
import { type IssuerError, IssuerErrorCode, issuerError } from "./errors.ts";
import type { PreparedTxFields } from "./store/createIssuanceStore.ts";

export { settleTransaction, statusRegistryInterface };

export interface LedgerSettings extends SettleTransactionSettings {
  /**
   * Most words one batch transaction touches (contract cap 1,024). A change touching more words of one list
   * is split into several transactions. Lower it where blocks are small: a word first set costs ~22,000 gas.
   */
  readonly maxBatchWords: number;
}

/**
 * Signs a call ahead of broadcast (chain's {@link signTransaction}), with ethers' errors as issuer codes.
 */
export async function prepareTransaction(
  signer: Signer,
  to: string,
  data: string,
  journaled: (txHash: string) => boolean = () => false,
): Promise<PreparedTxFields> {
  try {
    return await signTransaction(signer, to, data, journaled);
  } catch (e) {
    throw e instanceof MobileIdError ? e : issuerLedgerError(e, "prepare");
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
export function issuerLedgerError(e: unknown, stage: string): IssuerError {
  const failure = describeLedgerError(e, statusRegistryInterface);
  if (failure.kind === "reverted") {
    const name = failure.error ?? "unknown";
    const args = failure.args.map((a) => (typeof a === "bigint" ? a.toString() : a));
    const mapped = REVERT_CODES[name];
    return issuerError(mapped?.code ?? "LEDGER_REJECTED", `the ledger refused the transaction (${name})`, {
      cause: e,
      details: { stage, error: name, args },
      hint: mapped?.hint ?? "see details.error: the contract's custom error",
    });
  }
  if (failure.kind === "insufficientFunds") {
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
