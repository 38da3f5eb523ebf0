import {
  AccreditationStatus,
  type AccreditationStanding,
  type LedgerFacts,
  type LedgerQuery,
  PartyRole,
  StatusPurpose,
} from "@mobile-id/chain";
import { ACCEPTED_ALGORITHM, type EthrDid, type NormalizedCredential, VerificationCode, validateClaims } from "@mobile-id/core";
import { selectSigners } from "./signerSelection.ts";
import { CheckId, type IssuerPolicy, type VerifiedCredential } from "../types.ts";
import { type CheckLog, type KnownType, type VerifierContext, findKnownType } from "./context.ts";

/** A decoded credential and where its ledger questions sit in the query. */
export interface PreparedCredential {
  readonly credential: NormalizedCredential;
  readonly type: KnownType | undefined;
  /** Indexes into the query's standings: at issuance, and now. */
  readonly standingAtIssuance: number;
  readonly standingNow: number;
  /** Index into the query's status entries of the revocation entry (the suspension entry follows it). */
  readonly statusIndex: number;
}

/** uint40, the contract's time type: a later `at` cannot be asked (and the credential fails its time check). */
const MAX_UINT40 = 2 ** 40 - 1;

/** Mutable query under construction. */
export interface QueryBuilder {
  identities: Set<string>;
  standings: { party: string; credentialType: string; at: number | "current" }[];
  statusEntries: { listId: bigint; index: bigint }[];
  credentialTypes: Set<string>;
  /** Issuers whose registry role is checked. */
  parties: Set<string>;
}

export function newQuery(): QueryBuilder {
  return { identities: new Set(), standings: [], statusEntries: [], credentialTypes: new Set(), parties: new Set() };
}

export function finishQuery(q: QueryBuilder, now: number): LedgerQuery {
  return {
    identities: [...q.identities],
    standings: q.standings,
    statusEntries: q.statusEntries,
    credentialTypes: [...q.credentialTypes],
    parties: [...q.parties],
    now,
  };
}

/** Adds a credential's ledger questions to the query. */
export function prepareCredential(ctx: VerifierContext, credential: NormalizedCredential, q: QueryBuilder): PreparedCredential {
  q.identities.add(credential.issuer.address);
  q.parties.add(credential.issuer.address);
  const type = findKnownType(credential.typeName, credential.schemaUri);
  let standingAtIssuance = -1;
  let standingNow = -1;
  if (type !== undefined) {
    q.credentialTypes.add(type.id);
    standingAtIssuance = q.standings.push({
      party: credential.issuer.address,
      credentialType: type.id,
      at: Math.min(credential.validFrom, MAX_UINT40),
    }) - 1;
    standingNow = q.standings.push({ party: credential.issuer.address, credentialType: type.id, at: "current" }) - 1;
  }
  let statusIndex = -1;
  const s = credential.status;
  if (s.ok && s.entry.registry.toLowerCase() === ctx.statusRegistry) {
    statusIndex = q.statusEntries.push({ listId: s.entry.revocationListId, index: s.entry.index }) - 1;
    q.statusEntries.push({ listId: s.entry.suspensionListId, index: s.entry.index });
  }
  return { credential, type, standingAtIssuance, standingNow, statusIndex };
}

/** Time claims with at most `skew` seconds of tolerance: `exp` passed → EXPIRED; `nbf`/`iat` ahead → NOT_YET_VALID. */
export function timeProblem(
  now: number,
  skew: number,
  t: { readonly validFrom: number | undefined; readonly validUntil: number; readonly issuedAt: number | undefined },
): { code: VerificationCode; message: string } | undefined {
  if (t.validFrom !== undefined && t.validFrom > now + skew) {
    return { code: VerificationCode.NOT_YET_VALID, message: `not valid before ${t.validFrom} (now ${now})` };
  }
  if (t.issuedAt !== undefined && t.issuedAt > now + skew) {
    return { code: VerificationCode.NOT_YET_VALID, message: `issued in the future (${t.issuedAt}, now ${now})` };
  }
  if (now >= t.validUntil + skew) return { code: VerificationCode.EXPIRED, message: `expired at ${t.validUntil} (now ${now})` };
  return undefined;
}

const ROLE_NAMES: Readonly<Record<number, string>> = {
  [PartyRole.None]: "not registered",
  [PartyRole.Root]: "the root",
  [PartyRole.Accreditor]: "an accreditor",
  [PartyRole.Issuer]: "an issuer",
};

/**
 * Roles in depth: the signer's party must be registered as an issuer, and each accreditation the credential
 * relies on must come from a party registered as an accreditor. The registry only lets accreditors accredit
 * issuers, but an accreditor is itself accredited (by the root) for the types it governs, so its standing
 * alone is "in force": without this check a credential signed by an accreditor's key would pass the standing
 * check. `ISSUER_NOT_ACCREDITED` otherwise; a role the reader did not answer is `LEDGER_UNAVAILABLE`.
 */
export function roleProblem(
  facts: LedgerFacts,
  issuer: string,
  standings: readonly AccreditationStanding[],
): { code: VerificationCode; message: string } | undefined {
  const role = facts.parties.get(issuer.toLowerCase());
  if (role === undefined) return { code: VerificationCode.LEDGER_UNAVAILABLE, message: "the issuer's registry role was not read" };
  if (role !== PartyRole.Issuer) {
    return {
      code: VerificationCode.ISSUER_NOT_ACCREDITED,
      message: `the signer's party is ${ROLE_NAMES[role] ?? `of role ${role}`}, not a registered issuer`,
    };
  }
  for (const s of standings) {
    if (s.status === AccreditationStatus.None) continue; // no accreditation: the standing check says so
    const accreditorRole = facts.parties.get(s.accreditor.toLowerCase());
    if (accreditorRole === undefined) return { code: VerificationCode.LEDGER_UNAVAILABLE, message: "the accreditor's registry role was not read" };
    if (accreditorRole !== PartyRole.Accreditor) {
      return {
        code: VerificationCode.ISSUER_NOT_ACCREDITED,
        message: `the issuer's accreditation was granted by a party that is ${ROLE_NAMES[accreditorRole] ?? `of role ${accreditorRole}`}, not an accreditor`,
      };
    }
  }
  return undefined;
}

/** ISSUER_* for a standing that is not in force: revoked beats suspended beats not accredited. */
export function standingProblem(s: AccreditationStanding, when: string): { code: VerificationCode; message: string } | undefined {
  if (s.inForce) return undefined;
  const revoked = s.status === AccreditationStatus.Revoked || s.accreditorStatus === AccreditationStatus.Revoked;
  const suspended = s.status === AccreditationStatus.Suspended || s.accreditorStatus === AccreditationStatus.Suspended;
  const whose = s.status === AccreditationStatus.Active ? "its accreditor" : "the issuer";
  if (revoked) return { code: VerificationCode.ISSUER_REVOKED, message: `${whose} was revoked ${when}` };
  if (suspended) return { code: VerificationCode.ISSUER_SUSPENDED, message: `${whose} was suspended ${when}` };
  return { code: VerificationCode.ISSUER_NOT_ACCREDITED, message: `the issuer was not accredited for the type ${when}` };
}

/**
 * The checks of one credential after the ledger read, in order: time, issuer DID, signature, subject, type,
 * issuer standing, status, schema. Returns the verified credential, or `undefined` after logging the failure.
 */
export function checkCredential(
  ctx: VerifierContext,
  p: PreparedCredential,
  facts: LedgerFacts,
  options: {
    readonly index: number | undefined;
    readonly now: number;
    /** The presentation's holder, whom the credential must be about. */
    readonly holder: EthrDid | undefined;
    readonly acceptedTypes: ReadonlySet<string> | undefined;
    readonly policy: IssuerPolicy;
  },
  log: CheckLog,
): VerifiedCredential | undefined {
  const { index: i, now, policy } = options;
  const c = p.credential;

  const time = timeProblem(now, ctx.limits.clockSkewSeconds, c);
  if (time !== undefined) return void log.fail(CheckId.CredentialTime, time.code, time.message, i);
  log.pass(CheckId.CredentialTime, i);

  const issuerState = facts.identities.get(c.issuer.address);
  if (issuerState === undefined) return void log.fail(CheckId.CredentialIssuer, VerificationCode.LEDGER_UNAVAILABLE, "the issuer's DID was not read", i);
  if (issuerState.deactivated) return void log.fail(CheckId.CredentialIssuer, VerificationCode.DID_DEACTIVATED, "the issuer's DID is deactivated", i);
  log.pass(CheckId.CredentialIssuer, i);

  // The signature checker is ES256K only: a format handler that reports another algorithm is refused here.
  if (c.proof.alg !== ACCEPTED_ALGORITHM) {
    return void log.fail(CheckId.CredentialSignature, VerificationCode.UNSUPPORTED_ALGORITHM, `algorithm ${c.proof.alg} is not accepted`, i);
  }
  const signers = selectSigners(c.issuer, issuerState, facts.currentTime, "assertion", c.proof.kid);
  if (!signers.ok) return void log.fail(CheckId.CredentialSignature, signers.code, signers.message, i);
  if (ctx.signatures.verify(c.proof.signingInput, c.proof.signature, signers.candidates) === undefined) {
    return void log.fail(
      CheckId.CredentialSignature,
      VerificationCode.SIGNATURE_INVALID,
      "the signature is not by the issuer's owner key or a delegate valid now",
      i,
    );
  }
  log.pass(CheckId.CredentialSignature, i);

  if (options.holder !== undefined) {
    if (c.subject.address !== options.holder.address || c.subject.chainId !== options.holder.chainId) {
      return void log.fail(CheckId.CredentialSubject, VerificationCode.HOLDER_MISMATCH, "the presentation's signer is not the credential's subject", i);
    }
    log.pass(CheckId.CredentialSubject, i);
  }

  const type = p.type;
  if (options.acceptedTypes !== undefined && !options.acceptedTypes.has(c.typeName)) {
    return void log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${c.typeName} is not requested`, i);
  }
  if (type === undefined) {
    return void log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${c.typeName} with schema ${c.schemaUri} is not a known type`, i);
  }
  const record = facts.credentialTypes.get(type.id);
  if (
    record === undefined ||
    record.name !== type.definition.name ||
    record.version !== type.definition.version ||
    record.schemaHash !== type.schemaHash ||
    record.schemaUri !== type.definition.schemaUri
  ) {
    return void log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${c.typeName} is not registered on the ledger as this software knows it`, i);
  }
  if (record.deprecated && !policy.acceptDeprecatedTypes) {
    return void log.fail(CheckId.CredentialType, VerificationCode.TYPE_NOT_ACCEPTED, `${c.typeName} is deprecated`, i);
  }
  log.pass(CheckId.CredentialType, i);

  if (policy.allowedIssuers !== undefined && !policy.allowedIssuers.includes(c.issuer.address.toLowerCase())) {
    return void log.fail(CheckId.CredentialIssuerStanding, VerificationCode.ISSUER_NOT_ACCREDITED, "the issuer is not on this verifier's allow-list", i);
  }
  const atIssuance = facts.standings[p.standingAtIssuance];
  const current = facts.standings[p.standingNow];
  if (atIssuance === undefined || current === undefined) {
    return void log.fail(CheckId.CredentialIssuerStanding, VerificationCode.LEDGER_UNAVAILABLE, "the issuer's standing was not read", i);
  }
  const roles = roleProblem(facts, c.issuer.address, policy.requireInForceNow ? [atIssuance, current] : [atIssuance]);
  if (roles !== undefined) return void log.fail(CheckId.CredentialIssuerStanding, roles.code, roles.message, i);
  const problem = standingProblem(atIssuance, "when the credential was issued") ?? (policy.requireInForceNow ? standingProblem(current, "now") : undefined);
  if (problem !== undefined) return void log.fail(CheckId.CredentialIssuerStanding, problem.code, problem.message, i);
  log.pass(CheckId.CredentialIssuerStanding, i);

  const statusProblem = checkStatus(ctx, p, facts);
  if (statusProblem !== undefined) return void log.fail(CheckId.CredentialStatus, statusProblem.code, statusProblem.message, i);
  log.pass(CheckId.CredentialStatus, i);

  // Core README: the subject is `{ "id": sub, ...credentialSubject }` against the type's schema.
  const subject = { ...c.claims, id: c.subject.did };
  const claims = validateClaims(type.definition, subject);
  if (!claims.ok) {
    return void log.fail(CheckId.CredentialSchema, VerificationCode.SCHEMA_INVALID, claims.errors.slice(0, 3).join("; "), i);
  }
  log.pass(CheckId.CredentialSchema, i);

  return {
    format: c.format,
    type: type.definition.name,
    typeVersion: type.definition.version,
    issuer: c.issuer.did,
    subject: c.subject.did,
    claims: c.claims,
    id: c.id,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
  };
}

export function checkStatus(
  ctx: VerifierContext,
  p: PreparedCredential,
  facts: LedgerFacts,
): { code: VerificationCode; message: string } | undefined {
  const invalid = (message: string) => ({ code: VerificationCode.STATUS_INVALID, message });
  const s = p.credential.status;
  if (!s.ok) return invalid(s.problem);
  if (s.entry.registry.toLowerCase() !== ctx.statusRegistry) return invalid("the status registry is not this network's");
  const rev = facts.statusEntries[p.statusIndex];
  const sus = facts.statusEntries[p.statusIndex + 1];
  if (rev === undefined || sus === undefined) return invalid("the status entries were not read");
  const issuer = p.credential.issuer.address;
  if (rev.list === undefined || sus.list === undefined) return invalid("a status list does not exist");
  if (rev.list.issuer !== issuer || sus.list.issuer !== issuer) return invalid("a status list belongs to another issuer");
  if (rev.list.purpose !== StatusPurpose.Revocation) return invalid("the revocation list is not a revocation list");
  if (sus.list.purpose !== StatusPurpose.Suspension) return invalid("the suspension list is not a suspension list");
  if (rev.list.size !== sus.list.size) return invalid("the two status lists differ in size");
  if (rev.set === undefined || sus.set === undefined) return invalid("the status index is out of range");
  if (rev.set) return { code: VerificationCode.CREDENTIAL_REVOKED, message: "the credential is revoked" };
  if (sus.set) return { code: VerificationCode.CREDENTIAL_SUSPENDED, message: "the credential is suspended" };
  return undefined;
}
