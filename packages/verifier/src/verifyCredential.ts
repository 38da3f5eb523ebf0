import { type EthrDid, MobileIdError, VerificationCode, parseEthrDid } from "@mobile-id/core";
import { CheckLog, type VerifierContext, checkRequestedTypes, effectivePolicy, readLedger, startBudget } from "./internal/context.ts";
import { checkCredential, finishQuery, newQuery, prepareCredential } from "./internal/credentialChecks.ts";
import { acceptsSdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { understandsSdJwtVc, verifySdJwtVcCredentialWith } from "./verifySdJwtVcPresentation.ts";
import { CheckId, type IssuerPolicy, type VerifyCredentialReturnType } from "./types.ts";

export interface VerifyCredentialParameters {
  /** The credential as received: any value (a VC JWT when well formed). */
  readonly credential: unknown;
  /** Accept only these type names. Default: every type this software knows. */
  readonly credentialTypes?: readonly string[];
  /** If given, the credential must be about this DID (a wallet passes its own). */
  readonly subject?: string;
  readonly issuerPolicy?: Partial<IssuerPolicy>;
}

/**
 * Verifies one credential outside a presentation (a wallet checking before import): the same checks as for
 * a credential in a presentation, without a holder signature, challenge or replay check. Never throws for bad
 * input.
 *
 * @example
 * ```ts
 * const r = await verifyCredentialWith(ctx, { credential: vcJwt, subject: myDid });
 * if (r.verified) store(r.credential);
 * ```
 */
export async function verifyCredentialWith(
  ctx: VerifierContext,
  params: VerifyCredentialParameters,
): Promise<VerifyCredentialReturnType> {
  if (params === null || typeof params !== "object") throw new MobileIdError("INVALID_ARGUMENT", "parameters object required");
  const acceptedTypes = params.credentialTypes === undefined ? undefined : checkRequestedTypes(params.credentialTypes);
  const policy = effectivePolicy(ctx.policy, params.issuerPolicy);
  let subject: EthrDid | undefined;
  if (params.subject !== undefined) {
    subject = typeof params.subject === "string" ? parseEthrDid(params.subject) : undefined;
    if (subject === undefined) throw new MobileIdError("INVALID_ARGUMENT", "subject must be a did:ethr with a chain id");
  }
  const log = new CheckLog();
  const budget = startBudget(ctx);
  const rejected = (): VerifyCredentialReturnType => ({
    verified: false,
    code: log.failedCode,
    credential: undefined,
    checks: log.checks,
    ledger: undefined,
  });

  const raw = params.credential;
  if (typeof raw !== "string") {
    log.fail(CheckId.CredentialSize, VerificationCode.MALFORMED, "the credential is not a string");
    return rejected();
  }
  const sdJwtVc = acceptsSdJwtVc(raw) && understandsSdJwtVc(ctx);
  if (raw.length > (sdJwtVc ? ctx.limits.maxPresentationBytes : ctx.limits.maxCredentialBytes)) {
    log.fail(CheckId.CredentialSize, VerificationCode.TOO_LARGE, `${raw.length} characters, over the cap of ${ctx.limits.maxCredentialBytes}`);
    return rejected();
  }
  // SD-JWT VC (issue 10): a copy as issued, on its own path (copies with a portrait exceed the JWT-VC cap).
  if (sdJwtVc) return verifySdJwtVcCredentialWith(ctx, { raw, acceptedTypes, policy, log, budget });
  log.pass(CheckId.CredentialSize);
  const handler = ctx.credentialFormats.find((h) => h.accepts(raw));
  const parsed = handler === undefined
    ? ({ ok: false, code: VerificationCode.MALFORMED, message: "no credential format accepts this credential" } as const)
    : handler.parse(raw, { chainId: ctx.chainId, maxBytes: ctx.limits.maxCredentialBytes });
  if (!parsed.ok) {
    log.fail(CheckId.CredentialDecode, parsed.code, parsed.message);
    return rejected();
  }
  log.pass(CheckId.CredentialDecode);

  const query = newQuery();
  const prepared = prepareCredential(ctx, parsed.value, query);
  const now = ctx.clock();
  const facts = await readLedger(ctx, finishQuery(query, now), log, budget);
  if (facts === undefined) return rejected();
  const credential = checkCredential(ctx, prepared, facts, { index: undefined, now, holder: subject, acceptedTypes, policy }, log);
  return {
    verified: credential !== undefined,
    code: log.failedCode,
    credential,
    checks: log.checks,
    ledger: facts.head,
  };
}
