/**
 * The holder side of OpenID4VP 1.0 with DCQL, step 1: read a request, decide whether to answer it at all, and
 * make the consent screen's plan. The request object is fetched by `request_uri` and verified against the
 * client_id's `did:ethr` ({@link fetchAndVerifyRequestObject}); the relying party is looked up on the ledger (the
 * injected {@link RelyingPartyCheck}: the verifier package's `assertRelyingPartyMayRequest` in Node) for every
 * credential type and claim its DCQL query names, and refused with its registered name and the reason when it may
 * not ask; the query is matched against the wallet's credentials with the `dcql` library. Browser-safe.
 */
import { DcqlQuery } from "dcql";
import { MobileIdError, RelyingPartyCode, claimIdentifier } from "@mobile-id/core/browser";
import { maskResidentRegistrationNumber, verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { validityAt } from "../credentialViews.ts";
import { walletError } from "../errors.ts";
import { recordPresentation } from "../history/presentationHistory.ts";
import type { PresentationRecordCredential } from "../history/presentationRecord.ts";
import type { WalletFetch } from "../openid4vci/oauthCallbacks.ts";
import { parseCredentialJwt } from "../parseCredentialJwt.ts";
import { type Wallet, readWallet } from "../session.ts";
import type { WalletState } from "../state.ts";
import { type DidResolver, type VerifiedRequestObject, fetchAndVerifyRequestObject } from "./verifyRequestObject.ts";

/** What the injected ledger check answers (the verifier package's `assertRelyingPartyMayRequest` result fits). */
export type RelyingPartyDecision =
  | { readonly permitted: true; readonly registration: { readonly name: string; readonly purpose: string } }
  | {
      readonly permitted: false;
      readonly code: RelyingPartyCode;
      readonly message: string;
      readonly registration: { readonly name: string; readonly purpose: string };
      readonly notPermitted: readonly string[];
    };

/** May `relyingParty` (its did:ethr) ask for these claims of this credential type at `at`? Fails closed (throws) when the ledger cannot say. */
export type RelyingPartyCheck = (query: {
  readonly relyingParty: string;
  readonly credentialType: string;
  readonly claims: readonly string[];
  readonly at: number;
}) => Promise<RelyingPartyDecision>;

/** Most credential queries, and claims per query, a request may hold (larger DCQL queries are refused). */
export const MAX_DCQL_CREDENTIALS = 8;
export const MAX_DCQL_CLAIMS = 32;

export interface ResolvePresentationRequestParameters {
  readonly wallet: Wallet;
  /** `openid4vp://?client_id=decentralized_identifier:did:ethr:…&request_uri=https://…` */
  readonly uri: string;
  readonly fetch: WalletFetch;
  readonly resolveDid: DidResolver;
  readonly checkRelyingParty: RelyingPartyCheck;
}

/** One claim the answer would disclose, for the consent screen. */
export interface PlannedClaim {
  /** The DCQL claim path. */
  readonly path: readonly (string | number | null)[];
  /** Dotted (the ledger's claim identifier), e.g. `age_equal_or_over.19`. */
  readonly id: string;
  /** The value as the holder will see it (resident registration number masked, portrait summarized). */
  readonly value: unknown;
}

/** One DCQL credential query the wallet will answer, and with what. */
export interface PlannedCredential {
  readonly queryId: string;
  readonly format: "dc+sd-jwt" | "jwt_vc_json";
  readonly type: string;
  readonly issuer: string;
  readonly validUntil: number;
  /** SD-JWT VC: the batch; JWT-VC: the credential id. */
  readonly credentialRef: string;
  /** What is disclosed. JWT-VC cannot disclose selectively: every claim of the card is listed (and shared). */
  readonly claims: readonly PlannedClaim[];
  /** SD-JWT VC: unused copies left in the batch before this answer. */
  readonly copiesLeft?: number;
  /** Claims shared although not asked for (a JWT-VC cannot withhold any): the consent screen should point them out. */
  readonly beyondRequest: readonly string[];
}

/** The consent screen's plan; pass it to `answerPresentationRequest` (only the wallet that made it can answer it). */
export interface PresentationPlan {
  readonly relyingParty: {
    readonly did: string;
    readonly clientId: string;
    /** Registered display name and purpose on the ledger. */
    readonly name: string;
    readonly purpose: string;
  };
  /** The origin the answer goes to. */
  readonly responseOrigin: string;
  /** Whether the wallet holds what the query requires; when false, only a decline can be sent. */
  readonly canAnswer: boolean;
  readonly credentials: readonly PlannedCredential[];
  /** Required credential queries (or credential sets) nothing in the wallet answers. */
  readonly missing: readonly string[];
  readonly expiresAt: number;
}

/** What the answer step needs and the screen must not alter: kept out of reach of callers. */
export interface PlanInternals {
  readonly wallet: Wallet;
  readonly clientId: string;
  readonly nonce: string;
  readonly state: string | undefined;
  readonly responseUri: string;
  /** `direct_post.jwt`: the answer is one JWE to this key. */
  readonly encryption: VerifiedRequestObject["encryption"];
  readonly selections: readonly { readonly queryId: string; readonly format: "dc+sd-jwt" | "jwt_vc_json"; readonly ref: string; readonly paths: readonly (readonly (string | number | null)[])[] }[];
  readonly record: Omit<Parameters<typeof recordPresentation>[1], "outcome" | "code">;
  answered: boolean;
}

export const planInternals = new WeakMap<PresentationPlan, PlanInternals>();

const VCT = /^urn:mobile-id:vct:([A-Za-z][A-Za-z0-9]*):\d+$/;
type Path = readonly (string | number | null)[];
interface QueryInfo {
  readonly id: string;
  readonly format: "dc+sd-jwt" | "jwt_vc_json";
  readonly types: readonly string[];
  readonly paths: readonly Path[];
}

function queriesOf(query: DcqlQuery): QueryInfo[] {
  if (query.credentials.length > MAX_DCQL_CREDENTIALS) throw walletError("REQUEST_INVALID", `at most ${MAX_DCQL_CREDENTIALS} credential queries`);
  return query.credentials.map((c) => {
    const claims = (c.claims ?? []) as { path: Path }[];
    if (claims.length > MAX_DCQL_CLAIMS) throw walletError("REQUEST_INVALID", `at most ${MAX_DCQL_CLAIMS} claims per credential query`);
    if (c.format === "dc+sd-jwt") {
      const types = (c.meta?.vct_values ?? []).map((v) => VCT.exec(v)?.[1] ?? v);
      return { id: c.id, format: "dc+sd-jwt" as const, types, paths: claims.map((x) => x.path) };
    }
    if (c.format === "jwt_vc_json") {
      const types = ((c.meta as { type_values?: string[][] } | undefined)?.type_values ?? []).map((t) => t.filter((x) => x !== "VerifiableCredential").at(-1) ?? "");
      return { id: c.id, format: "jwt_vc_json" as const, types, paths: claims.map((x) => x.path) };
    }
    throw walletError("REQUEST_INVALID", `credential format ${c.format} is not supported`, { details: { queryId: c.id } });
  });
}

/** The ledger's claim identifier of a DCQL path (JWT-VC paths start at `credentialSubject`). */
function ledgerClaim(q: QueryInfo, path: Path): string {
  const p = q.format === "jwt_vc_json" && path[0] === "credentialSubject" ? path.slice(1) : path;
  try {
    return claimIdentifier(p);
  } catch {
    return p.map((x) => (x === null ? "*" : String(x))).join(".");
  }
}

function display(id: string, value: unknown): unknown {
  if (id === "residentRegistrationNumber" && typeof value === "string") return maskResidentRegistrationNumber(value);
  if (id === "portrait" && typeof value === "string") return `(portrait, ${value.length} characters)`;
  return value;
}

function valueAt(claims: unknown, path: Path): unknown {
  let v = claims;
  for (const p of path) {
    if (v === null || typeof v !== "object" || p === null) return undefined;
    v = (v as Record<string, unknown>)[String(p)];
  }
  return v;
}

interface Held {
  readonly format: "dc+sd-jwt" | "jwt_vc_json";
  readonly ref: string;
  readonly type: string;
  readonly issuer: string;
  readonly validUntil: number;
  readonly claims: Record<string, unknown>;
  readonly copiesLeft?: number;
  readonly dcql: Record<string, unknown>;
}

/** The wallet's credentials as DCQL sees them: SD-JWT VC batches with a copy usable for this verifier, valid JWT-VCs. */
async function heldCredentials(state: WalletState, clientId: string, now: number): Promise<Held[]> {
  const out: Held[] = [];
  const batches = new Map<string, { copy: string; usable: number; left: number }>();
  for (const c of state.sdJwtVcs ?? []) {
    const b = batches.get(c.batch) ?? { copy: c.copy, usable: 0, left: 0 };
    if (c.usedBy === undefined) b.left += 1;
    if (c.usedBy === undefined || c.usedBy === clientId) b.usable += 1;
    batches.set(c.batch, b);
  }
  for (const [batch, b] of batches) {
    if (b.usable === 0) continue;
    const d = await verifySdJwtVc({ token: b.copy, now, chainId: BigInt(state.chainId), verifyIssuerSignature: () => true });
    if (!d.ok || d.value.validUntil <= now) continue;
    const claims = { ...d.value.claims } as Record<string, unknown>;
    out.push({
      format: "dc+sd-jwt",
      ref: batch,
      type: d.value.typeName,
      issuer: d.value.issuer.did,
      validUntil: d.value.validUntil,
      claims,
      copiesLeft: b.left,
      dcql: { credential_format: "dc+sd-jwt", vct: d.value.vct, claims, cryptographic_holder_binding: true },
    });
  }
  for (const s of state.credentials) {
    const p = parseCredentialJwt(s.jwt, { chainId: state.chainId });
    if (!p.ok || validityAt(p.credential, now) !== "valid") continue;
    const claims = { ...p.credential.claims } as Record<string, unknown>;
    out.push({
      format: "jwt_vc_json",
      ref: s.id,
      type: p.credential.type,
      issuer: p.credential.issuer,
      validUntil: p.credential.validUntil,
      claims,
      dcql: { credential_format: "jwt_vc_json", type: ["VerifiableCredential", p.credential.type], claims: { credentialSubject: claims }, cryptographic_holder_binding: true },
    });
  }
  return out;
}

/**
 * Reads an OpenID4VP request and returns the plan for the consent screen: the relying party's registered name
 * and purpose, and per credential query the card that would answer it and each claim that would be shared.
 * Refuses (throws; nothing is sent to the verifier; a `refused` history record is kept once the party is known):
 * `REQUEST_INVALID`, `REQUEST_EXPIRED`, `REQUEST_SIGNATURE_INVALID`, `REQUEST_URI_MISMATCH`, and the ledger's
 * `RELYING_PARTY_UNREGISTERED`, `RELYING_PARTY_SUSPENDED`, `RELYING_PARTY_REVOKED`, `RELYING_PARTY_EXPIRED`,
 * `CLAIM_NOT_PERMITTED` (with `details.name`, `details.reason`, `details.notPermitted`).
 *
 * @example
 * ```ts
 * const plan = await resolvePresentationRequest({ wallet, uri: scannedQr, fetch, resolveDid, checkRelyingParty });
 * show(plan.relyingParty.name, plan.relyingParty.purpose, plan.credentials.flatMap((c) => c.claims));
 * ```
 */
export async function resolvePresentationRequest(params: ResolvePresentationRequestParameters): Promise<PresentationPlan> {
  const { wallet } = params;
  const { now } = readWallet(wallet);
  const t = now();
  const request = await fetchAndVerifyRequestObject({ uri: params.uri, fetch: params.fetch, resolveDid: params.resolveDid, now: t });
  let query: DcqlQuery;
  try {
    query = DcqlQuery.parse(request.payload["dcql_query"] as DcqlQuery.Input);
    DcqlQuery.validate(query);
  } catch (e) {
    throw walletError("REQUEST_INVALID", "the request's dcql_query is not a valid DCQL query", { cause: e });
  }
  const queries = queriesOf(query);
  const asked: PresentationRecordCredential[] = queries.map((q) => ({ queryId: q.id, type: q.types.join("|"), format: q.format, claims: q.paths.map((p) => ledgerClaim(q, p)) }));
  // The ledger decides, per credential type and claim, before the holder sees anything.
  let registration = { name: "", purpose: "" };
  for (const q of queries) {
    for (const type of q.types.length === 0 ? [""] : q.types) {
      const decision = /^[A-Za-z][A-Za-z0-9]*$/.test(type)
        ? await params.checkRelyingParty({ relyingParty: request.did, credentialType: type, claims: q.paths.map((p) => ledgerClaim(q, p)), at: t }).catch((e: unknown) => {
            if (e instanceof MobileIdError && e.code === "UNKNOWN_CREDENTIAL_TYPE") return undefined;
            throw e;
          })
        : undefined;
      const refused =
        decision === undefined
          ? { code: RelyingPartyCode.CLAIM_NOT_PERMITTED, message: `the request asks for a credential type the ledger does not know (${type || "none named"})`, notPermitted: [] as readonly string[] }
          : decision.permitted
            ? undefined
            : decision;
      if (decision !== undefined) registration = { name: decision.registration.name, purpose: decision.registration.purpose };
      if (refused !== undefined) {
        await recordPresentation(wallet, {
          relyingParty: { did: request.did, clientId: request.clientId, name: registration.name },
          purpose: registration.purpose,
          credentials: asked,
          outcome: "refused",
          code: refused.code,
        });
        throw walletError(refused.code, refused.message, {
          details: { relyingParty: request.did, name: registration.name, reason: refused.message, credentialType: type, notPermitted: [...refused.notPermitted] },
        });
      }
    }
  }
  const held = await heldCredentials(readWallet(wallet).state, request.clientId, t);
  const result = DcqlQuery.query(query, held.map((h) => h.dcql) as Parameters<typeof DcqlQuery.query>[1]);
  const chosenIds: string[] = [];
  const missing: string[] = [];
  if (result.credential_sets === undefined) {
    for (const q of queries) (result.credential_matches[q.id]?.success === true ? chosenIds : missing).push(q.id);
  } else {
    for (const set of result.credential_sets) {
      const option = set.matching_options?.[0];
      if (option !== undefined) chosenIds.push(...option);
      else if (set.required !== false) missing.push(set.options.map((o) => o.join("+")).join(" or "));
    }
  }
  const credentials: PlannedCredential[] = [];
  const selections: PlanInternals["selections"][number][] = [];
  for (const id of [...new Set(chosenIds)]) {
    const q = queries.find((x) => x.id === id) as QueryInfo;
    const match = result.credential_matches[id];
    const valid = match?.success === true ? match.valid_credentials[0] : undefined;
    const h = valid === undefined ? undefined : held[valid.input_credential_index];
    if (valid === undefined || h === undefined) {
      missing.push(id);
      continue;
    }
    const claimIndexes = (valid.claims as { valid_claim_sets?: { valid_claim_indexes?: number[] }[] }).valid_claim_sets?.[0]?.valid_claim_indexes;
    const paths = claimIndexes === undefined ? q.paths : claimIndexes.map((i) => q.paths[i] as Path);
    const subjectPaths = q.format === "jwt_vc_json" ? Object.keys(h.claims).map((k) => ["credentialSubject", k] as Path) : paths;
    const claims = subjectPaths.map((p) => {
      const within = q.format === "jwt_vc_json" ? p.slice(1) : p;
      const cid = ledgerClaim(q, p);
      return { path: p, id: cid, value: display(cid, valueAt(h.claims, within)) };
    });
    credentials.push({
      queryId: id,
      format: h.format,
      type: h.type,
      issuer: h.issuer,
      validUntil: h.validUntil,
      credentialRef: h.ref,
      claims,
      ...(h.copiesLeft === undefined ? {} : { copiesLeft: h.copiesLeft }),
      beyondRequest: claims.map((c) => c.id).filter((cid) => !paths.some((p) => ledgerClaim(q, p) === cid)),
    });
    selections.push({ queryId: id, format: h.format, ref: h.ref, paths });
  }
  const plan: PresentationPlan = {
    relyingParty: { did: request.did, clientId: request.clientId, name: registration.name, purpose: registration.purpose },
    responseOrigin: new URL(request.responseUri).origin,
    canAnswer: missing.length === 0 && credentials.length > 0,
    credentials,
    missing,
    expiresAt: request.payload["exp"] as number,
  };
  planInternals.set(plan, {
    wallet,
    clientId: request.clientId,
    nonce: request.nonce,
    state: request.state,
    responseUri: request.responseUri,
    encryption: request.encryption,
    selections,
    record: { relyingParty: { did: request.did, clientId: request.clientId, name: registration.name }, purpose: registration.purpose, credentials: asked },
    answered: false,
  });
  return plan;
}
