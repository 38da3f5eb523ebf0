import { type Contract, ContractTransactionReceipt, type Signer } from "ethers";
import { MobileIdError } from "@mobile-id/core";
import { type LedgerWriteJournal, sendJournaled } from "./journal/ledgerWriteJournal.ts";
import { translateLedgerError } from "./ledgerError.ts";

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
