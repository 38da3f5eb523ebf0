import { VerificationCode } from "@mobile-id/core/browser";
import { type CredentialSummary, credentialId, toSummary, validityAt } from "./credentialViews.ts";
import { walletError } from "./errors.ts";
import { parseCredentialJwt } from "./parseCredentialJwt.ts";
import { type Wallet, mutateWallet } from "./session.ts";

/** What the injected verifier answers. Anything but `verified: true` refuses the credential. */
export interface CredentialVerificationResult {
  readonly verified: boolean;
  /** The first failing check's code (a `VerificationCode` of `@mobile-id/core`, or the verifier's own). */
  readonly code?: string | undefined;
}

/**
 * Verifies a VC JWT completely (signature, issuer accreditation on the ledger, status, schema). The wallet
 * has no ledger access of its own: the app injects the verifier package's function, or a remote service.
 */
export type CredentialVerifier = (jwt: string) => Promise<CredentialVerificationResult>;

export interface ImportCredentialParameters {
  readonly wallet: Wallet;
  readonly jwt: string;
  readonly verifyCredential: CredentialVerifier;
}

export interface ImportCredentialReturnType {
  readonly credential: CredentialSummary;
  /** True when the same JWT was already stored (nothing was written). */
  readonly alreadyPresent: boolean;
}

/**
 * Stores a credential after checking, in this order: its shape (`WALLET_CREDENTIAL_REJECTED`, with
 * `details.verificationCode`), that its subject is exactly this wallet's DID (`WALLET_NOT_SUBJECT`), that it has
 * not expired, and the injected verifier's verdict (`WALLET_CREDENTIAL_REJECTED` with the verifier's code; a
 * verifier that throws gives `WALLET_VERIFIER_FAILED`). Local checks run first so that a credential meant for
 * someone else never reaches the verifier or the ledger.
 *
 * @example
 * ```ts
 * const { credential } = await importCredential({ wallet, jwt, verifyCredential: (jwt) => verifier.verifyCredential({ jwt }) });
 * ```
 */
export async function importCredential(params: ImportCredentialParameters): Promise<ImportCredentialReturnType> {
  const { wallet, jwt, verifyCredential } = params;
  return mutateWallet<ImportCredentialReturnType>(wallet, async (state, session) => {
    const parsed = parseCredentialJwt(jwt, { chainId: state.chainId });
    if (!parsed.ok) {
      throw walletError("WALLET_CREDENTIAL_REJECTED", `credential refused: ${parsed.message}`, {
        details: { verificationCode: parsed.code },
      });
    }
    const c = parsed.credential;
    if (c.subject !== state.did) {
      throw walletError("WALLET_NOT_SUBJECT", "the credential was issued to another DID", {
        details: { subject: c.subject, wallet: state.did },
      });
    }
    const now = session.now();
    if (validityAt(c, now) === "expired") {
      throw walletError("WALLET_CREDENTIAL_REJECTED", "the credential has expired", {
        details: { verificationCode: VerificationCode.EXPIRED, validUntil: c.validUntil },
      });
    }
    const id = credentialId(jwt);
    const existing = state.credentials.find((s) => s.id === id);
    if (existing !== undefined) return { next: undefined, result: { credential: toSummary(existing, now), alreadyPresent: true } };
    let outcome: CredentialVerificationResult;
    try {
      outcome = await verifyCredential(jwt);
    } catch (e) {
      throw walletError("WALLET_VERIFIER_FAILED", "the credential could not be verified", { cause: e });
    }
    if (outcome === null || typeof outcome !== "object" || outcome.verified !== true) {
      const code = outcome !== null && typeof outcome === "object" && typeof outcome.code === "string" ? outcome.code : "UNKNOWN";
      throw walletError("WALLET_CREDENTIAL_REJECTED", `the verifier refused the credential (${code})`, {
        details: { verificationCode: code },
      });
    }
    const stored = { id, jwt, importedAt: now };
    return {
      next: { ...state, credentials: [...state.credentials, stored] },
      result: { credential: toSummary(stored, now), alreadyPresent: false },
    };
  });
}
