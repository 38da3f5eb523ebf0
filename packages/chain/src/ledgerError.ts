import { type Interface, isError } from "ethers";
import { MobileIdError } from "@mobile-id/core";

/**
 * What went wrong in a ledger call or send, read from ethers' error. Every package that talks to the ledger
 * (issuer, auditor, governance) classifies errors here and words its own codes from the result: this is the one
 * place that inspects an ethers error.
 */
export type LedgerFailure =
  /** The contract reverted (ethers' `CALL_EXCEPTION`); `error` is its custom error when it decodes. */
  | { readonly kind: "reverted"; readonly error: string | undefined; readonly args: readonly unknown[] }
  /** The sending key cannot pay for gas. */
  | { readonly kind: "insufficientFunds" }
  /** A transport fault ethers recognised (`NETWORK_ERROR`, `TIMEOUT`, `SERVER_ERROR`). */
  | { readonly kind: "transport" }
  /** Anything else (connection refused, a node error ethers does not classify). */
  | { readonly kind: "other" };

/**
 * Classifies an error thrown by ethers. A revert's custom error is taken from ethers' own decoding, else from
 * the revert data decoded with `contractInterface` (ethers decodes custom errors only for calls, not for the
 * gas estimation that precedes a send).
 *
 * @example
 * ```ts
 * const f = describeLedgerError(e, statusRegistryInterface);
 * if (f.kind === "reverted" && f.error === "StatusRegistryUnauthorized") ...
 * ```
 */
export function describeLedgerError(e: unknown, contractInterface?: Interface): LedgerFailure {
  if (isError(e, "CALL_EXCEPTION")) {
    if (e.revert != null) return { kind: "reverted", error: e.revert.name, args: [...e.revert.args] };
    if (typeof e.data === "string" && e.data.length >= 10 && contractInterface !== undefined) {
      let parsed: { name: string; args: readonly unknown[] } | null = null;
      try {
        parsed = contractInterface.parseError(e.data);
      } catch {
        parsed = null;
      }
      if (parsed !== null) return { kind: "reverted", error: parsed.name, args: [...parsed.args] };
    }
    return { kind: "reverted", error: undefined, args: [] };
  }
  if (isError(e, "INSUFFICIENT_FUNDS")) return { kind: "insufficientFunds" };
  if (isError(e, "NETWORK_ERROR") || isError(e, "TIMEOUT") || isError(e, "SERVER_ERROR")) return { kind: "transport" };
  return { kind: "other" };
}

/**
 * Maps an ethers error to a MobileIdError (already-translated errors pass through): a revert becomes
 * `LEDGER_REJECTED` with the contract's custom error name and arguments in `details` (e.g.
 * `StatusRegistryUnauthorized`), a transport failure `LEDGER_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * try { await tx.wait(); } catch (e) { throw translateLedgerError(e, "suspend", registry.interface); }
 * ```
 */
export function translateLedgerError(e: unknown, method: string, contractInterface?: Interface): MobileIdError {
  if (e instanceof MobileIdError) return e;
  const failure = describeLedgerError(e, contractInterface);
  switch (failure.kind) {
    case "reverted": {
      const name = failure.error;
      return new MobileIdError("LEDGER_REJECTED", name === undefined ? `${method} reverted` : `${method} reverted with ${name}`, {
        cause: e,
        details: { method, ...(name === undefined ? {} : { error: name, args: failure.args.map((a) => String(a)) }) },
        hint: hintFor(name),
      });
    }
    case "transport":
      return new MobileIdError("LEDGER_UNAVAILABLE", `the ledger did not answer ${method}`, { cause: e });
    case "insufficientFunds":
      return new MobileIdError("LEDGER_REJECTED", "the sending key cannot pay for gas", {
        cause: e,
        hint: "fund the key, or use a network with a zero gas price (permissioned Besu)",
      });
    case "other":
      return new MobileIdError("LEDGER_UNAVAILABLE", `${method} failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
  }
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
