import { randomBytes } from "node:crypto";
import type { LedgerFacts, LedgerReader } from "@mobile-id/chain";
import {
  type Clock,
  type CredentialFormatHandler,
  type FormatRegistry,
  MAX_CREDENTIAL_BYTES,
  MAX_PRESENTATION_BYTES,
  MAX_PRESENTATION_CREDENTIALS,
  MobileIdError,
  type NetworkDescriptor,
  type PresentationFormatHandler,
  type RequestedClaim,
  defaultFormats,
  systemClock,
} from "@mobile-id/core";
import { SignatureVerifier } from "./crypto/es256k.ts";
import { type VerifierContext, checkRequestedTypes, normalizePolicy } from "./internal/context.ts";
import type { NonceStore } from "./nonceStore.ts";
import type {
  IssuerPolicy,
  LedgerAsOf,
  VerificationOutcome,
  PresentationRequest,
  VerifierLimits,
  VerifyCredentialReturnType,
  VerifyPresentationReturnType,
} from "./types.ts";
import { type VerifyCredentialParameters, verifyCredentialWith } from "./verifyCredential.ts";
import { type VerifyPresentationParameters, verifyPresentationWith } from "./verifyPresentation.ts";

export const DEFAULT_LIMITS: VerifierLimits = {
  maxPresentationBytes: MAX_PRESENTATION_BYTES,
  maxCredentialBytes: MAX_CREDENTIAL_BYTES,
  maxCredentials: MAX_PRESENTATION_CREDENTIALS,
  clockSkewSeconds: 60,
  maxVerificationMs: 2_000,
};

export const DEFAULT_ISSUER_POLICY: IssuerPolicy = {
  requireInForceNow: true,
  allowedIssuers: undefined,
  acceptDeprecatedTypes: false,
};

export interface CreateVerifierParameters {
  /** The verified network descriptor (chain id and contracts). */
  readonly descriptor: Pick<NetworkDescriptor, "chainId" | "contracts">;
  /** A started `LedgerMirror` (hot path, private) or an `RpcLedgerReader` (cold path). */
  readonly ledger: LedgerReader;
  readonly nonceStore: NonceStore;
  /** Default: the system clock. */
  readonly clock?: Clock;
  readonly limits?: Partial<VerifierLimits>;
  /** Defaults for every request (a request may override them). */
  readonly policy?: Partial<IssuerPolicy>;
  /**
   * The format modules to read with (core `createFormatRegistry`). Default: core's `defaultFormats` (JWT-VC,
   * JWT-VP). `credentialFormats` / `presentationFormats`, when given, take precedence.
   */
  readonly formats?: FormatRegistry;
  /** Default: `formats.credentialFormats`. */
  readonly credentialFormats?: readonly CredentialFormatHandler[];
  /** Default: `formats.presentationFormats`. */
  readonly presentationFormats?: readonly PresentationFormatHandler[];
  /** Most public keys kept (address → key). Default 10,000. */
  readonly maxCachedKeys?: number;
  /** Monotonic milliseconds, for the time budget (`limits.maxVerificationMs`). Default `performance.now`. */
  readonly monotonicClock?: () => number;
}

export interface CreatePresentationRequestParameters {
  readonly domain: string;
  readonly credentialTypes: readonly string[];
  /** Seconds until the request expires. Default 300. */
  readonly ttlSeconds?: number;
  /** Claims asked for (SD-JWT VC answers disclose only these), e.g. `[{ path: "age_equal_or_over.19" }]`. */
  readonly claims?: readonly RequestedClaim[];
}

export interface Verifier {
  /** Verifies a presentation against the request it answers (see {@link verifyPresentationWith}). */
  verifyPresentation(params: VerifyPresentationParameters): Promise<VerifyPresentationReturnType>;
  /** Verifies one credential outside a presentation (see {@link verifyCredentialWith}). */
  verifyCredential(params: VerifyCredentialParameters): Promise<VerifyCredentialReturnType>;
  /** A fresh request with a random 32-byte challenge, to send to the wallet. */
  createPresentationRequest(params: CreatePresentationRequestParameters): PresentationRequest;
}

function checkLimits(limits: VerifierLimits): VerifierLimits {
  const positive = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v > 0;
  if (
    !positive(limits.maxPresentationBytes) ||
    !positive(limits.maxCredentialBytes) ||
    !positive(limits.maxCredentials) ||
    !positive(limits.maxVerificationMs)
  ) {
    throw new MobileIdError("INVALID_ARGUMENT", "limits must be positive integers");
  }
  const skew = limits.clockSkewSeconds;
  if (typeof skew !== "number" || !Number.isSafeInteger(skew) || skew < 0 || skew > 60) {
    throw new MobileIdError("INVALID_ARGUMENT", "clockSkewSeconds must be an integer from 0 to 60");
  }
  return limits;
}

/**
 * Creates a verifier from injected dependencies: the network descriptor, a ledger reader, a nonce store, a
 * clock, limits, a default issuer policy and the credential formats it understands.
 *
 * @example
 * ```ts
 * const mirror = new LedgerMirror({ rpc: provider, descriptor });
 * await mirror.start();
 * const verifier = createVerifier({ descriptor, ledger: mirror, nonceStore: createMemoryNonceStore() });
 * const request = verifier.createPresentationRequest({ domain: "library.snu.ac.kr", credentialTypes: ["StudentIDCredential"] });
 * // ... send `request` to the wallet, receive `vpJwt` ...
 * const outcome = await verifier.verifyPresentation({ presentation: vpJwt, request });
 * ```
 */
export function createVerifier(params: CreateVerifierParameters): Verifier {
  const { descriptor } = params;
  if (descriptor === null || typeof descriptor !== "object" || !Number.isSafeInteger(descriptor.chainId)) {
    throw new MobileIdError("INVALID_ARGUMENT", "a network descriptor is required");
  }
  if (params.ledger === undefined || params.nonceStore === undefined) {
    throw new MobileIdError("INVALID_ARGUMENT", "a ledger reader and a nonce store are required");
  }
  const maxKeys = params.maxCachedKeys ?? 10_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) throw new MobileIdError("INVALID_ARGUMENT", "maxCachedKeys must be positive");
  const clock = params.clock ?? systemClock;
  const ctx: VerifierContext = {
    chainId: BigInt(descriptor.chainId),
    statusRegistry: descriptor.contracts.statusRegistry.address.toLowerCase(),
    ledger: params.ledger,
    nonceStore: params.nonceStore,
    clock,
    limits: checkLimits({ ...DEFAULT_LIMITS, ...params.limits }),
    policy: normalizePolicy({ ...DEFAULT_ISSUER_POLICY, ...params.policy }),
    credentialFormats: params.credentialFormats ?? (params.formats ?? defaultFormats).credentialFormats,
    presentationFormats: params.presentationFormats ?? (params.formats ?? defaultFormats).presentationFormats,
    signatures: new SignatureVerifier({ maxKeys }),
    monotonicClock: params.monotonicClock ?? (() => performance.now()),
  };
  return {
    verifyPresentation: (p) => withLedgerAsOf(ctx, (c) => verifyPresentationWith(c, p)),
    verifyCredential: (p) => withLedgerAsOf(ctx, (c) => verifyCredentialWith(c, p)),
    createPresentationRequest: (p) => {
      checkRequestedTypes(p.credentialTypes);
      const ttl = p.ttlSeconds ?? 300;
      if (!Number.isSafeInteger(ttl) || ttl <= 0) throw new MobileIdError("INVALID_ARGUMENT", "ttlSeconds must be positive");
      if (typeof p.domain !== "string" || p.domain.length === 0) throw new MobileIdError("INVALID_ARGUMENT", "domain is required");
      return {
        type: "MobileIdPresentationRequest",
        challenge: randomBytes(32).toString("base64url"),
        domain: p.domain,
        credentialTypes: [...p.credentialTypes],
        expiresAt: clock() + ttl,
        ...(p.claims === undefined ? {} : { claims: p.claims.map((c) => ({ ...c })) }),
      };
    },
  };
}

/** Runs one verification over a reader that remembers its read, and says "as of" which ledger state it decided. */
async function withLedgerAsOf<T extends VerificationOutcome>(ctx: VerifierContext, run: (ctx: VerifierContext) => Promise<T>): Promise<T> {
  let facts: LedgerFacts | undefined;
  const ledger = ctx.ledger;
  const remember = (f: LedgerFacts): LedgerFacts => {
    facts = f;
    return f;
  };
  const reader: LedgerReader = {
    read: (query) => {
      const r = ledger.read(query);
      return r instanceof Promise ? r.then(remember) : remember(r);
    },
    freshness: () => ledger.freshness(),
  };
  const outcome = await run({ ...ctx, ledger: reader });
  if (facts === undefined || outcome.ledger === undefined) return outcome;
  const asOf: LedgerAsOf = {
    blockNumber: facts.head.blockNumber,
    blockHash: facts.head.blockHash,
    blockTimestamp: facts.head.timestamp,
    checkedAt: facts.confirmedAt ?? ctx.clock(),
  };
  return { ...outcome, ledgerAsOf: asOf };
}
