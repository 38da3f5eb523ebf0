import { createHash } from "node:crypto";
import type { LedgerFacts } from "@mobile-id/chain";
import {
  CREDENTIAL_TYPES,
  type CredentialTypeDefinition,
  type EthrDid,
  type StatusEntryRef,
  VerificationCode,
  decodeBase64url,
  validateClaims,
} from "@mobile-id/core";
import { SD_JWT_VC_FORMAT, type SdJwtVcIssuerEnvelope, type VerifiedSdJwtVc, findSdJwtVcProfile, verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeEs256Verify, nodeSha256 } from "@mobile-id/core/sd-jwt-vc/node";
import { checkStatus, finishQuery, newQuery, prepareCredential, roleProblem, standingProblem } from "./internal/credentialChecks.ts";
import { type CheckLog, type TimeBudget, type VerifierContext, overBudget, readLedger } from "./internal/context.ts";
import { selectSigners } from "./internal/signerSelection.ts";
import {
  CheckId,
  type IssuerPolicy,
  SdJwtVcCheckId,
  type VerificationRequest,
  type VerifiedCredential,
  type VerifyCredentialReturnType,
  type VerifyPresentationReturnType,
} from "./types.ts";

/**
 * The ledger status entry an SD-JWT VC copy names. Its `status.status_list.uri` is the issuer's Token Status List
 * for one list pair, `<base>/status-lists/<revocationListId>/<suspensionListId>` (the services' route), and `idx`
 * is the copy's index in both lists of that pair, in this network's status registry. The verifier reads the bits
 * from its mirror, never from the URI. `undefined` for any other URI (`STATUS_INVALID`).
 *
 * @example
 * ```ts
 * statusEntryOfStatusList({ idx: 7, uri: "https://id.example/status-lists/3/4" }, registry)
 * // { registry, revocationListId: 3n, suspensionListId: 4n, index: 7n }
 * ```
 */
export function statusEntryOfStatusList(ref: { readonly idx: number; readonly uri: string }, registry: string): StatusEntryRef | undefined {
  const m = /\/status-lists\/([1-9][0-9]{0,18})\/([1-9][0-9]{0,18})$/.exec(ref.uri);
  if (m === null || !Number.isSafeInteger(ref.idx) || ref.idx < 0) return undefined;
  return { registry, revocationListId: BigInt(m[1] as string), suspensionListId: BigInt(m[2] as string), index: BigInt(ref.idx) };
}

/**
 * The holder of a key-bound copy as an identifier: the JWK thumbprint URI (RFC 9278) of its `cnf.jwk`. Each copy
 * has its own key, so two verifiers that received different copies see different holders.
 *
 * @example
 * ```ts
 * jwkThumbprintUri({ kty: "EC", crv: "P-256", x, y }) // "urn:ietf:params:oauth:jwk-thumbprint:sha-256:…"
 * ```
 */
export function jwkThumbprintUri(jwk: { readonly crv: string; readonly kty: string; readonly x: string; readonly y: string }): string {
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${createHash("sha256").update(canonical).digest("base64url")}`;
}

const decoder = new TextDecoder();

/** Whether this verifier's format registry holds the SD-JWT VC module (core's `defaultFormats` does). */
export function understandsSdJwtVc(ctx: VerifierContext): boolean {
  return ctx.credentialFormats.some((f) => f.format === SD_JWT_VC_FORMAT);
}

/** The issuer-signed payload of a signing input the format module already decoded once (it is JSON). */
function payloadOf(signingInput: string): Record<string, unknown> {
  return JSON.parse(decoder.decode(decodeBase64url(signingInput.slice(signingInput.indexOf(".") + 1)))) as Record<string, unknown>;
}

// The SD-JWT VC schema (2020-12, the whole payload after disclosure) of a type, as a definition `validateClaims`
// compiles once (keyed by the schema's $id).
const sdSchemas = new Map<string, CredentialTypeDefinition>();
function sdJwtSchemaDefinition(definition: CredentialTypeDefinition, schemaUri: string, schemaFile: string): CredentialTypeDefinition {
  let d = sdSchemas.get(schemaUri);
  if (d === undefined) {
    d = { ...definition, schemaUri, schemaFile };
    sdSchemas.set(schemaUri, d);
  }
  return d;
}

/** Dotted request paths, checked (misuse throws in the caller's `checkRequest`). */
function requestedPaths(request: VerificationRequest): { paths: string[][]; required: Set<string> } {
  const paths: string[][] = [];
  const required = new Set<string>();
  for (const c of request.claims ?? []) {
    paths.push(c.path.split("."));
    if (c.required !== false) required.add(c.path);
  }
  return { paths, required };
}

export interface VerifySdJwtVcPresentationOptions {
  readonly raw: string;
  /** The request answered (presentation: KB-JWT, nonce, claims). Absent: a copy as issued (a wallet's import). */
  readonly request: VerificationRequest | undefined;
  readonly acceptedTypes: ReadonlySet<string> | undefined;
  readonly policy: IssuerPolicy;
  readonly log: CheckLog;
  readonly budget: TimeBudget;
}

/**
 * The SD-JWT VC branch of `verifyPresentation` (issue 10): one copy with the disclosures the holder chose and a
 * KB-JWT. Order: core's format rules (`verifySdJwtVc`: caps, disclosures ↔ digests, headers and allow-lists,
 * issuer, `vct`, status reference, `cnf.jwk`, times) with the issuer signature checked through the verifier's own
 * signer selection against one ledger read (kid = DID URL of the issuer's did:ethr; owner or delegate valid now;
 * ES256K), then the KB-JWT (ES256 by `cnf.jwk`, `sd_hash`, `nonce` = the challenge, `aud` = the verifier's domain,
 * fresh `iat`); the request's expiry; the challenge is consumed (once); then the type requested and registered,
 * the issuer's roles and accreditation for it (at issuance and now), the copy's status bits from the mirror, the
 * disclosed payload against the type's SD-JWT VC schema, and the required requested claims. Only disclosed
 * claims are returned, with `withheld` listing the requested ones that were not.
 */
export async function verifySdJwtVcPresentationWith(ctx: VerifierContext, o: VerifySdJwtVcPresentationOptions): Promise<VerifyPresentationReturnType> {
  const r = await verifySdJwtVcWith(ctx, o);
  return r.credential === undefined
    ? { verified: false, code: o.log.failedCode, holder: undefined, credentials: [], checks: o.log.checks, ledger: r.ledger }
    : { verified: true, code: undefined, holder: r.credential.subject, credentials: [r.credential], checks: o.log.checks, ledger: r.ledger };
}

/**
 * The SD-JWT VC branch of `verifyCredential`: a copy as issued (no KB-JWT allowed), with every check of
 * {@link verifySdJwtVcPresentationWith} that does not belong to a request (a wallet checks a copy it imports).
 */
export async function verifySdJwtVcCredentialWith(
  ctx: VerifierContext,
  o: Omit<VerifySdJwtVcPresentationOptions, "request">,
): Promise<VerifyCredentialReturnType> {
  const r = await verifySdJwtVcWith(ctx, { ...o, request: undefined });
  return { verified: r.credential !== undefined, code: o.log.failedCode, credential: r.credential, checks: o.log.checks, ledger: r.ledger };
}

async function verifySdJwtVcWith(
  ctx: VerifierContext,
  o: VerifySdJwtVcPresentationOptions,
): Promise<{ readonly credential: VerifiedCredential | undefined; readonly ledger: LedgerFacts["head"] | undefined }> {
  const { log, request } = o;
  let ledgerHead: LedgerFacts["head"] | undefined;
  const rejected = () => ({ credential: undefined, ledger: ledgerHead });
  log.pass(request === undefined ? CheckId.CredentialSize : CheckId.PresentationSize);

  const now = ctx.clock();
  const { paths, required } = request === undefined ? { paths: [], required: new Set<string>() } : requestedPaths(request);
  // The ledger is read inside the signature callback: by then the token's structure, issuer, type, status
  // reference and times have passed, and what the query asks is what the token names.
  let facts: LedgerFacts | undefined;
  let ledgerFailed = false;
  let issuerProblem: { code: VerificationCode; message: string; check: CheckId | SdJwtVcCheckId } | undefined;
  let statusEntry: StatusEntryRef | undefined;
  let prepared: ReturnType<typeof prepareCredential> | undefined;
  const verifyIssuerSignature = async (env: SdJwtVcIssuerEnvelope): Promise<boolean> => {
    const payload = payloadOf(env.signingInput);
    const profile = findSdJwtVcProfile(payload.vct as string);
    const list = (payload.status as { status_list: { idx: number; uri: string } }).status_list;
    statusEntry = statusEntryOfStatusList(list, ctx.statusRegistry);
    const validFrom = (payload.nbf as number | undefined) ?? (payload.iat as number);
    const query = newQuery();
    prepared = prepareCredential(
      ctx,
      {
        format: "dc+sd-jwt",
        id: undefined,
        issuer: env.issuer,
        subject: env.issuer,
        types: [profile?.typeName ?? ""],
        typeName: profile?.typeName ?? "",
        schemaUri: schemaUriOf(profile?.typeName, profile?.version),
        claims: {},
        validFrom,
        validUntil: payload.exp as number,
        issuedAt: payload.iat as number,
        status: statusEntry === undefined ? { ok: false, problem: "status_list.uri names no list pair of this network" } : { ok: true, entry: statusEntry },
        proof: { alg: "ES256K", signingInput: env.signingInput, signature: env.signature, kid: env.kid },
        byteLength: o.raw.length,
      },
      query,
    );
    facts = await readLedger(ctx, finishQuery(query, now), log, o.budget);
    if (facts === undefined) {
      ledgerFailed = true;
      return false;
    }
    ledgerHead = facts.head;
    const state = facts.identities.get(env.issuer.address);
    if (state === undefined) {
      issuerProblem = { check: CheckId.CredentialIssuer, code: VerificationCode.LEDGER_UNAVAILABLE, message: "the issuer's DID was not read" };
      return false;
    }
    if (state.deactivated) {
      issuerProblem = { check: CheckId.CredentialIssuer, code: VerificationCode.DID_DEACTIVATED, message: "the issuer's DID is deactivated" };
      return false;
    }
    if (env.alg !== "ES256K") return false;
    const signers = selectSigners(env.issuer, state, facts.currentTime, "assertion", env.kid);
    if (!signers.ok) {
      issuerProblem = { check: SdJwtVcCheckId.SdJwtVcSignature, code: signers.code, message: signers.message };
      return false;
    }
    return ctx.signatures.verify(env.signingInput, env.signature, signers.candidates) !== undefined;
  };

  const r = await verifySdJwtVc({
    token: o.raw,
    now,
    chainId: ctx.chainId,
    verifyIssuerSignature,
    keyBinding: request === undefined ? undefined : { audience: request.domain, nonce: request.challenge },
    requestedClaims: paths,
    limits: { maxBytes: ctx.limits.maxPresentationBytes },
    sha256: nodeSha256,
    es256Verify: nodeEs256Verify,
  });
  if (ledgerFailed) return rejected();
  if (issuerProblem !== undefined) {
    log.fail(issuerProblem.check, issuerProblem.code, issuerProblem.message, 0);
    return rejected();
  }
  if (!r.ok) {
    log.fail(r.check as SdJwtVcCheckId, r.code, r.message);
    return rejected();
  }
  const v = r.value;
  log.pass(SdJwtVcCheckId.SdJwtVcSignature);
  if (request !== undefined) {
  log.pass(SdJwtVcCheckId.SdJwtVcKeyBinding);
  if (now > request.expiresAt) {
    log.fail(CheckId.PresentationTime, VerificationCode.EXPIRED, `the request expired at ${request.expiresAt} (now ${now})`);
    return rejected();
  }
  log.pass(CheckId.PresentationTime);
  if (overBudget(o.budget, log, CheckId.PresentationReplay)) return rejected();
  if (!(await ctx.nonceStore.consume(request.challenge, request.expiresAt))) {
    log.fail(CheckId.PresentationReplay, VerificationCode.REPLAYED, "this challenge was already answered");
    return rejected();
  }
  log.pass(CheckId.PresentationReplay);
  }

  const problem = ledgerChecks(ctx, v, facts as LedgerFacts, prepared as NonNullable<typeof prepared>, o, log);
  if (problem) return rejected();

  const withheld = v.withheld.map((p) => p.join("."));
  const missing = withheld.filter((p) => required.has(p));
  if (missing.length > 0) {
    log.fail(SdJwtVcCheckId.CredentialClaims, VerificationCode.CLAIM_WITHHELD, `required claims withheld: ${missing.join(", ")}`, 0);
    return rejected();
  }
  log.pass(SdJwtVcCheckId.CredentialClaims, 0);
  return {
    credential: {
      format: v.format,
      type: v.typeName,
      typeVersion: v.typeVersion,
      issuer: v.issuer.did,
      subject: jwkThumbprintUri(v.holderKey),
      claims: v.claims,
      id: undefined,
      validFrom: v.validFrom,
      validUntil: v.validUntil,
      withheld,
    },
    ledger: ledgerHead,
  };
}

function schemaUriOf(typeName: string | undefined, version: number | undefined): string {
  return findKnownTypeUri(typeName, version) ?? "";
}

function findKnownTypeUri(typeName: string | undefined, version: number | undefined): string | undefined {
  return CREDENTIAL_TYPES.find((d) => d.name === typeName && d.version === version)?.schemaUri;
}

/** Type, issuer standing, status, schema: today's checks on the copy. `true` when one failed (logged). */
function ledgerChecks(
  ctx: VerifierContext,
  v: VerifiedSdJwtVc,
  facts: LedgerFacts,
  p: ReturnType<typeof prepareCredential>,
  o: VerifySdJwtVcPresentationOptions,
  log: CheckLog,
): boolean {
  const i = 0;
  const { policy } = o;
  const issuer: EthrDid = v.issuer;
  if (o.acceptedTypes !== undefined && !o.acceptedTypes.has(v.typeName)) return !log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${v.typeName} is not requested`, i);
  const type = p.type;
  if (type === undefined) return !log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${v.vct} is not a known type`, i);
  const record = facts.credentialTypes.get(type.id);
  if (
    record === undefined ||
    record.name !== type.definition.name ||
    record.version !== type.definition.version ||
    record.schemaHash !== type.schemaHash ||
    record.schemaUri !== type.definition.schemaUri
  ) {
    return !log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${v.typeName} is not registered on the ledger as this software knows it`, i);
  }
  if (record.deprecated && !policy.acceptDeprecatedTypes) return !log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${v.typeName} is deprecated`, i);
  log.pass(CheckId.CredentialType, i);

  if (policy.allowedIssuers !== undefined && !policy.allowedIssuers.includes(issuer.address.toLowerCase())) {
    return !log.fail(CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED, "the issuer is not on this verifier's allow-list", i);
  }
  const atIssuance = facts.standings[p.standingAtIssuance];
  const current = facts.standings[p.standingNow];
  if (atIssuance === undefined || current === undefined) {
    return !log.fail(CheckId.CredentialIssuerStanding, VerificationCode.LEDGER_UNAVAILABLE, "the issuer's standing was not read", i);
  }
  const roles = roleProblem(facts, issuer.address, policy.requireInForceNow ? [atIssuance, current] : [atIssuance]);
  if (roles !== undefined) return !log.fail(CheckId.CredentialIssuerStanding, roles.code, roles.message, i);
  const standing = standingProblem(atIssuance, "when the credential was issued") ?? (policy.requireInForceNow ? standingProblem(current, "now") : undefined);
  if (standing !== undefined) return !log.fail(CheckId.CredentialIssuerStanding, standing.code, standing.message, i);
  log.pass(CheckId.CredentialIssuerStanding, i);

  const status = checkStatus(ctx, p, facts);
  if (status !== undefined) return !log.fail(CheckId.CredentialStatus, status.code, status.message, i);
  log.pass(CheckId.CredentialStatus, i);

  // The SD-JWT VC schema describes the whole payload after disclosure (registered claims + what was disclosed).
  const profile = findSdJwtVcProfile(v.vct);
  if (profile === undefined) return !log.fail(CheckId.CredentialSchema, VerificationCode.SCHEMA_INVALID, "no SD-JWT VC schema for the vct", i);
  const payload: Record<string, unknown> = {
    iss: issuer.did,
    iat: v.issuedAt,
    exp: v.validUntil,
    vct: v.vct,
    cnf: { jwk: v.holderKey },
    status: { status_list: v.status },
    ...v.claims,
  };
  if (v.validFrom !== v.issuedAt) payload.nbf = v.validFrom;
  const checked = validateClaims(sdJwtSchemaDefinition(type.definition, profile.schemaUri, profile.schemaFile), payload);
  if (!checked.ok) return !log.fail(CheckId.CredentialSchema, VerificationCode.SCHEMA_INVALID, checked.errors.slice(0, 3).join("; "), i);
  log.pass(CheckId.CredentialSchema, i);
  return false;
}
