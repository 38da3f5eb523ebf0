import { type Contract, ContractTransactionReceipt, type Interface, type Signer, isError } from "ethers";
import { MobileIdError } from "@mobile-id/core";
import { type LedgerWriteJournal, sendJournaled } from "./journal/ledgerWriteJournal.ts";

export interface SendTransactionParameters {
  readonly contract: Contract;
  readonly signer: Signer;
  readonly method: string;
  readonly args: readonly unknown[];
  /**
   * Journal the signed transaction before broadcasting it, so that a ledger node that later loses it gets it
   * again (`recoverJournaledWrites`, run by the services while they are up).
   */
  readonly journal?: LedgerWriteJournal;
}

/**
 * Sends a contract call from `signer` and waits for its receipt. The one seam where ethers' errors become
 * ours: a revert becomes `LEDGER_REJECTED` with the contract's custom error name and arguments in
 * `details` (e.g. `StatusRegistryUnauthorized`), a transport failure `LEDGER_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const receipt = await sendTransaction({ contract: registry, signer, method: "suspend", args: [...] });
 * ```
 */
export async function sendTransaction(params: SendTransactionParameters): Promise<ContractTransactionReceipt> {
  const { contract, signer, method, args } = params;
  try {
    if (params.journal !== undefined) {
      const target = await contract.getAddress();
      const data = contract.interface.encodeFunctionData(method, args);
      const mined = await sendJournaled({ journal: params.journal, signer, to: target, data, label: method });
      if (mined.status !== 1) throw new MobileIdError("LEDGER_REJECTED", `${method} was not executed`, { details: { hash: mined.hash } });
      return new ContractTransactionReceipt(contract.interface, mined.provider, mined);
    }
    const tx = await (contract.connect(signer) as Contract).getFunction(method)(...args);
    const receipt = (await tx.wait()) as ContractTransactionReceipt | null;
    if (receipt === null || receipt.status !== 1) {
      throw new MobileIdError("LEDGER_REJECTED", `${method} was not executed`, { details: { hash: tx.hash } });
    }
    return receipt;
  } catch (e) {
    throw translateLedgerError(e, method, contract.interface);
  }
}

/**
 * Maps an ethers error to a MobileIdError (already-translated errors pass through). ethers decodes custom
 * errors only for calls, not for the gas estimation that precedes a send, so the revert data is decoded here
 * with the contract's own interface.
 */
export function translateLedgerError(e: unknown, method: string, contractInterface?: Interface): MobileIdError {
  if (e instanceof MobileIdError) return e;
  if (isError(e, "CALL_EXCEPTION")) {
    let name = e.revert?.name;
    let args: readonly unknown[] = e.revert?.args ?? [];
    if (name === undefined && typeof e.data === "string" && contractInterface !== undefined) {
      const parsed = contractInterface.parseError(e.data);
      if (parsed !== null) {
        name = parsed.name;
        args = [...parsed.args];
      }
    }
    return new MobileIdError("LEDGER_REJECTED", name === undefined ? `${method} reverted` : `${method} reverted with ${name}`, {
      cause: e,
      details: { method, ...(name === undefined ? {} : { error: name, args: args.map((a) => String(a)) }) },
      hint: hintFor(name),
    });
  }
  if (isError(e, "NETWORK_ERROR") || isError(e, "TIMEOUT") || isError(e, "SERVER_ERROR")) {
    return new MobileIdError("LEDGER_UNAVAILABLE", `the ledger did not answer ${method}`, { cause: e });
  }
  if (isError(e, "INSUFFICIENT_FUNDS")) {
    return new MobileIdError("LEDGER_REJECTED", "the sending key cannot pay for gas", {
      cause: e,
      hint: "fund the key, or use a network with a zero gas price (permissioned Besu)",
    });
  }
  return new MobileIdError("LEDGER_UNAVAILABLE", `${method} failed: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}

function hintFor(error: string | undefined): string | undefined {
  switch (error) {
    case "AccreditationRegistryUnauthorized":
    case "RootGovernanceUnauthorized":
    case "StatusRegistryUnauthorized":
    case "StatusRegistryNotIssuerOwner":
      return "the key used is not the current owner (or a named operator) of the identity it acts for";
    case "AccreditationRegistryOutOfScope":
    case "AccreditationRegistryWindowOutOfScope":
      return "an accreditor can grant only types it is itself active for, inside its own window";
    case "StatusRegistryRevocationIsPermanent":
      return "a revoked credential can never be reinstated";
    default:
      return undefined;
  }
}
