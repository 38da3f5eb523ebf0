import type { LedgerHead } from "@mobile-id/chain";
import type { PresentationRequest, VerificationCode } from "@mobile-id/core";

/** Stable identifiers of the checks a verification runs, in the order they run. */
export const CheckId = {
  /** The presentation is a string within `maxPresentationBytes` (before any decoding). */
  PresentationSize: "presentation.size",
  /** Header allow-list (ES256K only), compact JWS, strict payload shape, credential count cap. */
  PresentationDecode: "presentation.decode",
  CredentialSize: "credential.size",
  CredentialDecode: "credential.decode",
  /** One consistent read of the ledger (or the mirror) for everything below. */
  LedgerRead: "ledger.read",
  PresentationHolder: "presentation.holder",
  PresentationSignature: "presentation.signature",
  PresentationChallenge: "presentation.challenge",
  PresentationDomain: "presentation.domain",
  PresentationTime: "presentation.time",
  PresentationReplay: "presentation.replay",
  CredentialTime: "credential.time",
  CredentialIssuer: "credential.issuer",
  CredentialSignature: "credential.signature",
  CredentialSubject: "credential.subject",
  CredentialType: "credential.type",
  CredentialIssuerStanding: "credential.issuerStanding",
  CredentialStatus: "credential.status",
  CredentialSchema: "credential.schema",
} as const;
export type CheckId = (typeof CheckId)[keyof typeof CheckId];

/**
 * The checks only an SD-JWT VC presentation runs (issue 10): core's format rules (`SdJwtVcCheck`), then the ledger
 * checks of {@link CheckId}, and the request's required claims.
 */
export const SdJwtVcCheckId = {
  SdJwtVcSize: "sdJwtVc.size",
  SdJwtVcDecode: "sdJwtVc.decode",
  SdJwtVcDisclosures: "sdJwtVc.disclosures",
  SdJwtVcHeader: "sdJwtVc.header",
  SdJwtVcIssuer: "sdJwtVc.issuer",
  SdJwtVcType: "sdJwtVc.type",
  SdJwtVcStatus: "sdJwtVc.status",
  SdJwtVcHolderKey: "sdJwtVc.holderKey",
  SdJwtVcTime: "sdJwtVc.time",
  SdJwtVcSignature: "sdJwtVc.signature",
  SdJwtVcKeyBinding: "sdJwtVc.keyBinding",
  SdJwtVcKeyBindingSignature: "sdJwtVc.keyBinding.signature",
  SdJwtVcKeyBindingHash: "sdJwtVc.keyBinding.sdHash",
  SdJwtVcKeyBindingChallenge: "sdJwtVc.keyBinding.nonce",
  SdJwtVcKeyBindingAudience: "sdJwtVc.keyBinding.aud",
  SdJwtVcKeyBindingTime: "sdJwtVc.keyBinding.iat",
  /** A claim the request marked required was withheld (`CLAIM_WITHHELD`). */
  CredentialClaims: "credential.claims",
} as const;
export type SdJwtVcCheckId = (typeof SdJwtVcCheckId)[keyof typeof SdJwtVcCheckId];

/** One check that ran: passed, or failed with a stable code and a short reason. */
export interface VerificationCheck {
  readonly check: CheckId | SdJwtVcCheckId;
  readonly passed: boolean;
  /** Set when the check failed. */
  readonly code?: VerificationCode;
  readonly message?: string;
  /** For credential checks: the credential's position in the presentation. */
  readonly credential?: number;
}

/** A credential that passed every check. */
export interface VerifiedCredential {
  readonly format: string;
  /** The registered type name, e.g. `StudentIDCredential`. */
  readonly type: string;
  readonly typeVersion: number;
  readonly issuer: string;
  readonly subject: string;
  /** The disclosed claims (the `credentialSubject` without `id`). */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly id: string | undefined;
  readonly validFrom: number;
  readonly validUntil: number;
  /** SD-JWT VC: the requested claim paths (dotted) the holder did not disclose. Absent for JWT-VC. */
  readonly withheld?: readonly string[];
}

/** The outcome of a verification. Bad input never throws; it yields `verified: false` with the failed check. */
export interface VerificationOutcome {
  readonly verified: boolean;
  /** The failed check's code; `undefined` when verified. */
  readonly code: VerificationCode | undefined;
  /** Every check that ran, in order; verification stops at the first failure. */
  readonly checks: readonly VerificationCheck[];
  /** The ledger block the decision was made against, when the ledger was read. */
  readonly ledger: LedgerHead | undefined;
  /**
   * "As of": the ledger state the decision was made against and when that state was last confirmed as the
   * ledger's newest (a replica serving through a ledger outage answers as of its last confirmed head). Set
   * whenever the ledger was read.
   */
  readonly ledgerAsOf?: LedgerAsOf;
}

/** Which ledger state a verification outcome holds for. */
export interface LedgerAsOf {
  readonly blockNumber: number;
  readonly blockHash: string;
  /** The block's timestamp (seconds). */
  readonly blockTimestamp: number;
  /** Local time (seconds) at which that block was last confirmed as the ledger's newest. */
  readonly checkedAt: number;
}

export interface VerifyPresentationReturnType extends VerificationOutcome {
  /** The holder's DID, when verified. */
  readonly holder: string | undefined;
  /** The verified credentials (empty unless verified). */
  readonly credentials: readonly VerifiedCredential[];
}

export interface VerifyCredentialReturnType extends VerificationOutcome {
  readonly credential: VerifiedCredential | undefined;
}

/** Which issuers a verifier trusts beyond the ledger's accreditation. */
export interface IssuerPolicy {
  /**
   * Require the issuer to be in force for the type now, as well as when the credential was issued. Default
   * `true`: an issuer's credentials stop verifying the moment it is suspended or revoked (an issuer could
   * otherwise keep issuing with a backdated `nbf`).
   */
  readonly requireInForceNow: boolean;
  /** If set, only these issuers (DIDs or identity addresses) are accepted. */
  readonly allowedIssuers: readonly string[] | undefined;
  /** Accept credentials of a type the root has deprecated. Default `false`. */
  readonly acceptDeprecatedTypes: boolean;
}

/** Caps checked before any cryptography, and the clock tolerance. */
export interface VerifierLimits {
  /** Default 65,536 characters. */
  readonly maxPresentationBytes: number;
  /** Default 16,384 characters per embedded credential. */
  readonly maxCredentialBytes: number;
  /** Default 8. */
  readonly maxCredentials: number;
  /** Tolerance for `exp`, `nbf` and `iat`, at most 60 s. Default 60. */
  readonly clockSkewSeconds: number;
  /**
   * Time budget of one verification, in milliseconds. A ledger read still unanswered when it runs out, or a
   * verification that reaches its next stage after it, fails closed with `TIME_BUDGET_EXCEEDED`. Default 2,000.
   */
  readonly maxVerificationMs: number;
}

/** The presentation request as the wallet receives it: defined once, in core. */
export type { PresentationRequest };

/** The request a presentation answers, plus the verifier-side policy for it. */
export interface VerificationRequest extends Omit<PresentationRequest, "type"> {
  readonly type?: "MobileIdPresentationRequest";
  /** Overrides the verifier's default issuer policy for this request. */
  readonly issuerPolicy?: Partial<IssuerPolicy>;
}
