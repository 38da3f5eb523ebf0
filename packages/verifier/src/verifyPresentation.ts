import { ACCEPTED_ALGORITHM, MobileIdError, type NormalizedPresentation, VerificationCode } from "@mobile-id/core";
import {
  type PreparedCredential,
  checkCredential,
  finishQuery,
  newQuery,
  prepareCredential,
  timeProblem,
} from "./internal/credentialChecks.ts";
import { acceptsSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { understandsSdJwtVc, verifySdJwtVcPresentationWith } from "./verifySdJwtVcPresentation.ts";
import { selectSigners } from "./internal/signerSelection.ts";
import {
  CheckLog,
  type VerifierContext,
  checkRequestedTypes,
  effectivePolicy,
  overBudget,
  readLedger,
  startBudget,
} from "./internal/context.ts";
import { CheckId, type VerificationRequest, type VerifiedCredential, type VerifyPresentationReturnType } from "./types.ts";

export interface VerifyPresentationParameters {
  /** The wallet's answer, as received: any value (a VP JWT when well formed). */
  readonly presentation: unknown;
  /** The request it answers (the verifier's own object: misuse throws). */
  readonly request: VerificationRequest;
}

/** Checks the verifier's own request object; a fault here is the caller's, so it throws. */
function checkRequest(request: VerificationRequest): ReadonlySet<string> {
  if (request === null || typeof request !== "object") throw new MobileIdError("INVALID_ARGUMENT", "request must be an object");
  const { challenge, domain, expiresAt } = request;
  if (typeof challenge !== "string" || challenge.length < 16 || challenge.length > 512) {
    throw new MobileIdError("INVALID_ARGUMENT", "request.challenge must be a string of 16 to 512 characters");
  }
  if (typeof domain !== "string" || domain.length === 0 || domain.length > 512) {
    throw new MobileIdError("INVALID_ARGUMENT", "request.domain must be a non-empty string");
  }
  if (typeof expiresAt !== "number" || !Number.isSafeInteger(expiresAt)) {
    throw new MobileIdError("INVALID_ARGUMENT", "request.expiresAt must be an integer (seconds)");
  }
  if (request.type !== undefined && request.type !== "MobileIdPresentationRequest") {
    throw new MobileIdError("INVALID_ARGUMENT", "request.type must be MobileIdPresentationRequest");
  }
  if (request.claims !== undefined) {
    if (!Array.isArray(request.claims) || request.claims.length > 64) throw new MobileIdError("INVALID_ARGUMENT", "request.claims must be an array of at most 64 claims");
    for (const c of request.claims as unknown[]) {
      const { path, required } = (c ?? {}) as { path?: unknown; required?: unknown };
      if (typeof path !== "string" || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,5}$/.test(path) || (required !== undefined && typeof required !== "boolean")) {
        throw new MobileIdError("INVALID_ARGUMENT", "request.claims[].path must be a dotted claim path and required a boolean");
      }
    }
  }
  return checkRequestedTypes(request.credentialTypes);
}

const rejected = (log: CheckLog, ledger: VerifyPresentationReturnType["ledger"] = undefined): VerifyPresentationReturnType => ({
  verified: false,
  code: log.failedCode,
  holder: undefined,
  credentials: [],
  checks: log.checks,
  ledger,
});

/**
 * Verifies a presentation against the request it answers, with everything the verifier was created with.
 * Never throws for bad input; throws `MobileIdError` only for misuse (a malformed request) or a nonce store
 * that cannot decide.
 *
 * Order: the caps, the header allow-list and the strict shape of the presentation and of every credential
 * (no cryptography yet); one ledger read for everything; the holder's DID and the presentation's signature;
 * challenge, domain and time; the challenge is consumed (once); then per credential: time, issuer DID,
 * signature, subject = holder, type, issuer standing at issuance and now, status, schema. The first failure
 * ends the verification.
 *
 * @example
 * ```ts
 * const outcome = await verifyPresentationWith(ctx, { presentation: vpJwt, request });
 * if (!outcome.verified) console.log(outcome.code, outcome.checks.at(-1)?.message);
 * ```
 */
export async function verifyPresentationWith(
  ctx: VerifierContext,
  params: VerifyPresentationParameters,
): Promise<VerifyPresentationReturnType> {
  if (params === null || typeof params !== "object") throw new MobileIdError("INVALID_ARGUMENT", "parameters object required");
  const { request } = params;
  const acceptedTypes = checkRequest(request);
  const policy = effectivePolicy(ctx.policy, request.issuerPolicy);
  const log = new CheckLog();
  const { limits } = ctx;
  const budget = startBudget(ctx);

  // 1. Before any cryptography: size, header allow-list, shape, credential count.
  const raw = params.presentation;
  if (typeof raw !== "string") {
    log.fail(CheckId.PresentationSize, VerificationCode.MALFORMED, "the presentation is not a string");
    return rejected(log);
  }
  if (raw.length > limits.maxPresentationBytes) {
    log.fail(CheckId.PresentationSize, VerificationCode.TOO_LARGE, `${raw.length} characters, over the cap of ${limits.maxPresentationBytes}`);
    return rejected(log);
  }
  // SD-JWT VC (issue 10): one key-bound copy with its disclosures and KB-JWT, answered on its own path.
  if (acceptsSdJwtVc(raw) && understandsSdJwtVc(ctx)) return verifySdJwtVcPresentationWith(ctx, { raw, request, acceptedTypes, policy, log, budget });
  log.pass(CheckId.PresentationSize);
  const handler = ctx.presentationFormats.find((h) => h.accepts(raw));
  if (handler === undefined) {
    log.fail(CheckId.PresentationDecode, VerificationCode.MALFORMED, "no presentation format accepts this input");
    return rejected(log);
  }
  const decoded = handler.parse(raw, { chainId: ctx.chainId, maxBytes: limits.maxPresentationBytes, maxCredentials: limits.maxCredentials });
  if (!decoded.ok) {
    log.fail(CheckId.PresentationDecode, decoded.code, decoded.message);
    return rejected(log);
  }
  log.pass(CheckId.PresentationDecode);
  const vp: NormalizedPresentation = decoded.value;

  const query = newQuery();
  query.identities.add(vp.holder.address);
  const prepared: PreparedCredential[] = [];
  for (let i = 0; i < vp.credentials.length; i++) {
    const item = vp.credentials[i];
    if (typeof item === "string" && item.length > limits.maxCredentialBytes) {
      log.fail(CheckId.CredentialSize, VerificationCode.TOO_LARGE, `${item.length} characters, over the cap of ${limits.maxCredentialBytes}`, i);
      return rejected(log);
    }
    log.pass(CheckId.CredentialSize, i);
    const h = ctx.credentialFormats.find((f) => f.accepts(item));
    const parsed = h === undefined
      ? ({ ok: false, code: VerificationCode.MALFORMED, message: "no credential format accepts this credential" } as const)
      : h.parse(item, { chainId: ctx.chainId, maxBytes: limits.maxCredentialBytes });
    if (!parsed.ok) {
      log.fail(CheckId.CredentialDecode, parsed.code, parsed.message, i);
      return rejected(log);
    }
    log.pass(CheckId.CredentialDecode, i);
    prepared.push(prepareCredential(ctx, parsed.value, query));
  }

  // 2. One consistent ledger read.
  const now = ctx.clock();
  const facts = await readLedger(ctx, finishQuery(query, now), log, budget);
  if (facts === undefined) return rejected(log);

  // 3. The presentation: its signer, challenge, audience, time; then the challenge is used up.
  const holderState = facts.identities.get(vp.holder.address);
  if (holderState === undefined) {
    log.fail(CheckId.PresentationHolder, VerificationCode.LEDGER_UNAVAILABLE, "the holder's DID was not read");
    return rejected(log, facts.head);
  }
  if (holderState.deactivated) {
    log.fail(CheckId.PresentationHolder, VerificationCode.DID_DEACTIVATED, "the holder's DID is deactivated");
    return rejected(log, facts.head);
  }
  log.pass(CheckId.PresentationHolder);
  // The signature checker is ES256K only: a format handler that reports another algorithm is refused here.
  if (vp.proof.alg !== ACCEPTED_ALGORITHM) {
    log.fail(CheckId.PresentationSignature, VerificationCode.UNSUPPORTED_ALGORITHM, `algorithm ${vp.proof.alg} is not accepted`);
    return rejected(log, facts.head);
  }
  const holderKeys = selectSigners(vp.holder, holderState, facts.currentTime, "authentication", vp.proof.kid);
  if (!holderKeys.ok) {
    log.fail(CheckId.PresentationSignature, holderKeys.code, holderKeys.message);
    return rejected(log, facts.head);
  }
  if (ctx.signatures.verify(vp.proof.signingInput, vp.proof.signature, holderKeys.candidates) === undefined) {
    log.fail(CheckId.PresentationSignature, VerificationCode.SIGNATURE_INVALID, "the signature is not by the holder's key");
    return rejected(log, facts.head);
  }
  log.pass(CheckId.PresentationSignature);
  if (vp.nonce !== request.challenge) {
    log.fail(CheckId.PresentationChallenge, VerificationCode.CHALLENGE_MISMATCH, "the nonce is not this request's challenge");
    return rejected(log, facts.head);
  }
  log.pass(CheckId.PresentationChallenge);
  if (vp.audience !== request.domain) {
    log.fail(CheckId.PresentationDomain, VerificationCode.DOMAIN_MISMATCH, "the audience is not this verifier's domain");
    return rejected(log, facts.head);
  }
  log.pass(CheckId.PresentationDomain);
  if (now > request.expiresAt) {
    log.fail(CheckId.PresentationTime, VerificationCode.EXPIRED, `the request expired at ${request.expiresAt} (now ${now})`);
    return rejected(log, facts.head);
  }
  const vpTime = timeProblem(now, limits.clockSkewSeconds, vp);
  if (vpTime !== undefined) {
    log.fail(CheckId.PresentationTime, vpTime.code, vpTime.message);
    return rejected(log, facts.head);
  }
  log.pass(CheckId.PresentationTime);
  if (overBudget(budget, log, CheckId.PresentationReplay)) return rejected(log, facts.head);
  const fresh = await ctx.nonceStore.consume(request.challenge, request.expiresAt);
  if (!fresh) {
    log.fail(CheckId.PresentationReplay, VerificationCode.REPLAYED, "this challenge was already answered");
    return rejected(log, facts.head);
  }
  log.pass(CheckId.PresentationReplay);

  // 4. Every credential.
  const credentials: VerifiedCredential[] = [];
  for (const [i, p] of prepared.entries()) {
    if (overBudget(budget, log, CheckId.CredentialTime, i)) return rejected(log, facts.head);
    const verified = checkCredential(ctx, p, facts, { index: i, now, holder: vp.holder, acceptedTypes, policy }, log);
    if (verified === undefined) return rejected(log, facts.head);
    credentials.push(verified);
  }
  return { verified: true, code: undefined, holder: vp.holder.did, credentials, checks: log.checks, ledger: facts.head };
}
