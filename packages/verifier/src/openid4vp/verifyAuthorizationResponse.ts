import { DcqlPresentationResult, type DcqlCredentialPresentation } from "dcql";
import { validateOpenid4vpAuthorizationResponsePayload } from "@openid4vc/openid4vp";
import { MAX_PRESENTATION_BYTES, MobileIdError, VerificationCode, systemClock, type Clock } from "@mobile-id/core";
import { vctOf } from "@mobile-id/core/sd-jwt-vc";
import { type CreateVerifierParameters, type Verifier, createVerifier } from "../createVerifier.ts";
import type { NonceStore } from "../nonceStore.ts";
import type { LedgerAsOf, VerificationRequest, VerifiedCredential, VerifyPresentationReturnType } from "../types.ts";
import type { AuthorizationRequest } from "./createAuthorizationRequest.ts";
import type { RequestedCredential } from "./dcqlQuery.ts";
import { decryptResponseJwe } from "./responseEncryption.ts";

/** Most presentations one `vp_token` may carry (over all credential queries). */
export const MAX_VP_TOKEN_PRESENTATIONS = 8;

/**
 * The OpenID4VP verifier: the one-call presentation verifier used once per presentation of a `vp_token`, and the
 * durable nonce store that makes each request's nonce answerable once (one `vp_token` carries several
 * presentations with the same nonce, so the nonce is consumed per response, not per presentation).
 */
export interface Openid4vpVerifier {
  /** Verifies single presentations without consuming their nonce (the response consumes it). */
  readonly presentations: Verifier;
  readonly nonceStore: NonceStore;
  readonly clock: Clock;
}

/**
 * Creates the {@link Openid4vpVerifier} from the same parameters as `createVerifier` (ledger, descriptor, limits,
 * policy); `nonceStore` is the durable store of answered requests.
 *
 * @example
 * ```ts
 * const vp = createOpenid4vpVerifier({ descriptor, ledger: mirror, nonceStore: openDurableNonceStore(path).store });
 * const outcome = await verifyAuthorizationResponse({ verifier: vp, request, response: formBody });
 * ```
 */
export function createOpenid4vpVerifier(params: CreateVerifierParameters): Openid4vpVerifier {
  const presentations = createVerifier({ ...params, nonceStore: { consume: () => true } });
  return { presentations, nonceStore: params.nonceStore, clock: params.clock ?? systemClock };
}

/** A verified credential with the credential query it answers. */
export interface Openid4vpVerifiedCredential extends VerifiedCredential {
  readonly credentialQueryId: string;
}

/** One presentation's verification, by credential query id and position. */
export interface Openid4vpPresentationOutcome {
  readonly credentialQueryId: string;
  readonly index: number;
  readonly outcome: VerifyPresentationReturnType;
}

export type VerifyAuthorizationResponseReturnType =
  | {
      /** The holder declined or the wallet failed: `error` as the wallet sent it (e.g. `access_denied`). */
      readonly declined: true;
      readonly verified: false;
      readonly code: undefined;
      readonly error: string;
      readonly errorDescription: string | undefined;
    }
  | {
      readonly declined: false;
      readonly verified: boolean;
      /** The failure's code; `undefined` when verified. */
      readonly code: VerificationCode | undefined;
      readonly message: string | undefined;
      /** Which credential query the failure concerns, when it concerns one. */
      readonly credentialQueryId: string | undefined;
      readonly presentations: readonly Openid4vpPresentationOutcome[];
      /** The verified credentials with only the claims their query asked for (empty unless verified). */
      readonly credentials: readonly Openid4vpVerifiedCredential[];
      /** The oldest ledger state any presentation was decided against. */
      readonly ledgerAsOf: LedgerAsOf | undefined;
    };

export interface VerifyAuthorizationResponseParameters {
  readonly verifier: Openid4vpVerifier;
  /** The request the response answers (the verifier's own record). */
  readonly request: Pick<AuthorizationRequest, "clientId" | "nonce" | "state" | "expiresAt" | "dcqlQuery" | "credentials" | "responseMode" | "responseEncryptionKey">;
  /**
   * The authorization response as received (the form fields of a `direct_post`): `vp_token` (a JSON object keyed by
   * credential query id, as a string or already parsed) and `state`, or `error` (+ `error_description`) and `state`;
   * for `direct_post.jwt`, `response` (the JWE holding those fields). Or what {@link openAuthorizationResponse}
   * returned, with `opened: true`.
   */
  readonly response: Readonly<Record<string, unknown>>;
  /** `response` is already opened (decrypted) by {@link openAuthorizationResponse}. */
  readonly opened?: boolean;
}

/**
 * The response's fields in the clear: for a `direct_post.jwt` request, the JWE in `response` decrypted with the
 * request's key (and nothing else in the form); for `direct_post`, the form as it is (an encrypted `response` is
 * refused). A refusal carries `MALFORMED`.
 *
 * @example
 * ```ts
 * const opened = openAuthorizationResponse({ request, response: form });
 * if (opened.ok) checkState(opened.response.state);
 * ```
 */
export function openAuthorizationResponse(params: Pick<VerifyAuthorizationResponseParameters, "request" | "response">):
  | { readonly ok: true; readonly response: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly code: VerificationCode; readonly message: string } {
  const { request, response } = params;
  const malformed = (message: string) => ({ ok: false, code: VerificationCode.MALFORMED, message }) as const;
  if (response === null || typeof response !== "object") return malformed("the response is not an object");
  if (request.responseMode !== "direct_post.jwt") {
    return response["response"] === undefined ? { ok: true, response } : malformed("this request takes its response in the clear (direct_post)");
  }
  if (Object.keys(response).some((k) => k !== "response")) return malformed("direct_post.jwt: send only the encrypted response");
  const key = request.responseEncryptionKey;
  if (key === undefined) throw new MobileIdError("INVALID_ARGUMENT", "a direct_post.jwt request needs its responseEncryptionKey");
  const plaintext = decryptResponseJwe(response["response"], key);
  if (plaintext === undefined) return malformed("the encrypted response cannot be decrypted with this request's key");
  let inner: unknown;
  try {
    inner = JSON.parse(plaintext);
  } catch {
    return malformed("the decrypted response is not JSON");
  }
  if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return malformed("the decrypted response is not a JSON object");
  return { ok: true, response: inner as Record<string, unknown> };
}

type Refusal = { code: VerificationCode; message: string; credentialQueryId?: string | undefined };

function pathValue(claims: Readonly<Record<string, unknown>>, path: readonly string[]): { found: boolean; value: unknown } {
  let node: unknown = claims;
  for (const p of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, p)) return { found: false, value: undefined };
    node = (node as Record<string, unknown>)[p];
  }
  return { found: true, value: node };
}

/** Leaf paths of a disclosed-claims object (arrays and scalars are leaves). */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object" || Array.isArray(value) || prefix.length >= 6) return [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/** Only the asked claims, in their nesting (a verifier keeps what it asked for, also from a JWT-VC that shows all). */
function pick(claims: Readonly<Record<string, unknown>>, paths: readonly (readonly string[])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const { found, value } = pathValue(claims, path);
    if (!found) continue;
    let node = out;
    for (const [i, p] of path.entries()) {
      if (i === path.length - 1) node[p] = value;
      else node = (node[p] ??= {}) as Record<string, unknown>;
    }
  }
  return out;
}

function dcqlPresentationOf(c: RequestedCredential, v: VerifiedCredential): DcqlCredentialPresentation {
  // The presentation as DCQL sees it: the format the answer really has, and its verified type and claims.
  return v.format === "dc+sd-jwt"
    ? { credential_format: "dc+sd-jwt", vct: vctOf(v.type, v.typeVersion), claims: v.claims as Record<string, never>, cryptographic_holder_binding: true }
    : {
        credential_format: "jwt_vc_json",
        type: ["VerifiableCredential", v.type],
        claims: { credentialSubject: v.claims } as unknown as Record<string, never>,
        cryptographic_holder_binding: c.format === "jwt_vc_json",
      };
}

/**
 * Verifies an OpenID4VP 1.0 authorization response against the request it answers, in this order:
 * `state` (`STATE_MISMATCH`); a declined answer (`error`) is reported as such; the response's shape by the
 * `@openid4vc/openid4vp` library and our caps (`MALFORMED`, `TOO_LARGE`); every `vp_token` key is a credential query
 * of the request (`UNREQUESTED_CREDENTIAL`), with one presentation unless the query allows `multiple`; each
 * presentation by the one-call verifier (`verifyPresentation`: SD-JWT VC with KB-JWT or JWT-VP, `aud` = the
 * `client_id`, `nonce` = the request's, issuer standing, status, schema: its own codes); each presentation's format,
 * type and claims against its credential query (`DCQL_MISMATCH`; a required claim withheld: `CLAIM_WITHHELD`; an
 * SD-JWT VC disclosing claims not asked for: `UNREQUESTED_CLAIM`); the whole answer against the DCQL query with
 * the `dcql` library's result evaluation, including `credential_sets` (`DCQL_MISMATCH`), and no credential beyond
 * one option per set (`UNREQUESTED_CREDENTIAL`); finally the nonce is consumed, once (`REPLAYED`). Never throws for
 * bad input; throws for misuse and a nonce store that cannot decide.
 *
 * @example
 * ```ts
 * const r = await verifyAuthorizationResponse({ verifier: vp, request, response: { vp_token, state } });
 * if (r.declined) show("declined"); else if (r.verified) show(r.credentials); else show(r.code);
 * ```
 */
export async function verifyAuthorizationResponse(params: VerifyAuthorizationResponseParameters): Promise<VerifyAuthorizationResponseReturnType> {
  const { request, verifier } = params;
  if (request === null || typeof request !== "object" || typeof request.nonce !== "string" || !Array.isArray(request.credentials)) {
    throw new MobileIdError("INVALID_ARGUMENT", "request must be an authorization request record");
  }
  const presentations: Openid4vpPresentationOutcome[] = [];
  const refuse = (r: Refusal): VerifyAuthorizationResponseReturnType => ({
    declined: false,
    verified: false,
    code: r.code,
    message: r.message,
    credentialQueryId: r.credentialQueryId,
    presentations,
    credentials: [],
    ledgerAsOf: oldest(presentations),
  });
  let response = params.response;
  if (params.opened !== true) {
    const opened = openAuthorizationResponse({ request, response });
    if (!opened.ok) return refuse(opened);
    response = opened.response;
  }
  if (response["state"] !== request.state) return refuse({ code: VerificationCode.STATE_MISMATCH, message: "the response's state is not this request's" });
  if (response["error"] !== undefined) {
    if (typeof response["error"] !== "string" || response["error"].length > 256) return refuse({ code: VerificationCode.MALFORMED, message: "error must be a short string" });
    const description = response["error_description"];
    return {
      declined: true,
      verified: false,
      code: undefined,
      error: response["error"],
      errorDescription: typeof description === "string" ? description.slice(0, 512) : undefined,
    };
  }
  const now = verifier.clock();
  if (now > request.expiresAt) return refuse({ code: VerificationCode.EXPIRED, message: `the request expired at ${request.expiresAt}` });

  // Shape: our caps first, then the library's parse of the response and its dcql vp_token.
  let vpToken: unknown = response["vp_token"];
  if (typeof vpToken === "string") {
    if (vpToken.length > MAX_PRESENTATION_BYTES * MAX_VP_TOKEN_PRESENTATIONS) return refuse({ code: VerificationCode.TOO_LARGE, message: "vp_token is over the cap" });
    try {
      vpToken = JSON.parse(vpToken);
    } catch {
      return refuse({ code: VerificationCode.MALFORMED, message: "vp_token is not JSON" });
    }
  }
  if (vpToken === null || typeof vpToken !== "object" || Array.isArray(vpToken)) {
    return refuse({ code: VerificationCode.MALFORMED, message: "vp_token must be a JSON object keyed by credential query id" });
  }
  const entries = Object.entries(vpToken as Record<string, unknown>);
  const total = entries.reduce((n, [, v]) => n + (Array.isArray(v) ? v.length : 1), 0);
  if (total > MAX_VP_TOKEN_PRESENTATIONS) return refuse({ code: VerificationCode.TOO_LARGE, message: `${total} presentations, over the cap of ${MAX_VP_TOKEN_PRESENTATIONS}` });
  try {
    validateOpenid4vpAuthorizationResponsePayload({
      authorizationRequestPayload: { response_type: "vp_token", client_id: request.clientId, nonce: request.nonce, state: request.state, dcql_query: request.dcqlQuery },
      authorizationResponsePayload: { vp_token: vpToken as Record<string, string[]>, state: request.state },
    });
  } catch {
    // The one seam where the library's errors become ours.
    return refuse({ code: VerificationCode.MALFORMED, message: "the library could not read this response as an answer to a DCQL query" });
  }

  const byId = new Map(request.credentials.map((c) => [c.id, c]));
  for (const [id, value] of entries) {
    const query = byId.get(id);
    if (query === undefined) return refuse({ code: VerificationCode.UNREQUESTED_CREDENTIAL, message: `no credential query ${id} in the request`, credentialQueryId: id });
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) return refuse({ code: VerificationCode.MALFORMED, message: `no presentation for ${id}`, credentialQueryId: id });
    if (list.length > 1 && !query.multiple) return refuse({ code: VerificationCode.UNREQUESTED_CREDENTIAL, message: `more than one presentation for ${id}`, credentialQueryId: id });
  }

  // Each presentation by the one-call verifier: aud = client_id, nonce = the request's (the nonce is consumed below).
  const acceptedTypes = [...new Set(request.credentials.map((c) => c.typeName))];
  const record: Record<string, DcqlCredentialPresentation[]> = {};
  const verified: Openid4vpVerifiedCredential[] = [];
  for (const [id, value] of entries) {
    const query = byId.get(id) as RequestedCredential;
    for (const [index, presentation] of (Array.isArray(value) ? value : [value]).entries()) {
      const vr: VerificationRequest = {
        challenge: request.nonce,
        domain: request.clientId,
        credentialTypes: acceptedTypes,
        expiresAt: request.expiresAt,
        // SD-JWT VC: the claims asked for; without claim sets, each is required (CLAIM_WITHHELD otherwise).
        ...(query.format === "dc+sd-jwt" && query.paths.length > 0 ? { claims: query.paths.map((p) => ({ path: p.join("."), required: !query.hasClaimSets })) } : {}),
      };
      const outcome = await verifier.presentations.verifyPresentation({ presentation, request: vr });
      presentations.push({ credentialQueryId: id, index, outcome });
      if (!outcome.verified) {
        return refuse({ code: outcome.code ?? VerificationCode.MALFORMED, message: outcome.checks.at(-1)?.message ?? "not verified", credentialQueryId: id });
      }
      if (outcome.credentials.length !== 1) {
        return refuse({ code: VerificationCode.UNREQUESTED_CREDENTIAL, message: `a presentation for ${id} carries ${outcome.credentials.length} credentials`, credentialQueryId: id });
      }
      const credential = outcome.credentials[0] as VerifiedCredential;
      const format = credential.format === "dc+sd-jwt" ? "dc+sd-jwt" : "jwt_vc_json";
      if (format !== query.format || credential.type !== query.typeName) {
        return refuse({
          code: VerificationCode.DCQL_MISMATCH,
          message: `credential query ${id} asks for ${query.typeName} as ${query.format}; the answer is ${credential.type} as ${format}`,
          credentialQueryId: id,
        });
      }
      const asked = new Set(query.subjectPaths.map((p) => p.join(".")));
      if (format === "dc+sd-jwt") {
        const extra = leafPaths(credential.claims)
          .filter((p) => p.length > 0)
          .map((p) => p.join("."))
          .filter((p) => !asked.has(p) && ![...asked].some((a) => p.startsWith(`${a}.`)));
        if (extra.length > 0) {
          return refuse({ code: VerificationCode.UNREQUESTED_CLAIM, message: `claims not asked for were disclosed: ${extra.join(", ")}`, credentialQueryId: id });
        }
      } else if (!query.hasClaimSets) {
        const missing = query.subjectPaths.filter((p) => !pathValue(credential.claims, p).found).map((p) => p.join("."));
        if (missing.length > 0) return refuse({ code: VerificationCode.CLAIM_WITHHELD, message: `required claims missing: ${missing.join(", ")}`, credentialQueryId: id });
      }
      (record[id] ??= []).push(dcqlPresentationOf(query, credential));
      verified.push({ ...credential, claims: pick(credential.claims, query.subjectPaths), credentialQueryId: id });
    }
  }

  // The whole answer against the DCQL query (claim values, claim sets, credential sets) by the dcql library.
  let result: DcqlPresentationResult;
  try {
    result = DcqlPresentationResult.fromDcqlPresentation(record, { dcqlQuery: request.dcqlQuery });
  } catch {
    return refuse({ code: VerificationCode.DCQL_MISMATCH, message: "the answer does not fit the DCQL query" });
  }
  if (!result.can_be_satisfied) {
    const failed = Object.values(result.credential_matches).find((m) => !m.success);
    return refuse({ code: VerificationCode.DCQL_MISMATCH, message: "the answer does not satisfy the DCQL query", credentialQueryId: failed?.credential_query_id });
  }
  const extra = unrequested(request.dcqlQuery, new Set(Object.keys(record)));
  if (extra !== undefined) return refuse({ code: VerificationCode.UNREQUESTED_CREDENTIAL, message: `credential ${extra} answers no option asked for`, credentialQueryId: extra });

  if (!(await verifier.nonceStore.consume(request.nonce, request.expiresAt))) {
    return refuse({ code: VerificationCode.REPLAYED, message: "this request was already answered" });
  }
  return { declined: false, verified: true, code: undefined, message: undefined, credentialQueryId: undefined, presentations, credentials: verified, ledgerAsOf: oldest(presentations) };
}

/**
 * A credential query answered that no chosen option needs: without credential sets every query is asked for; with
 * them, each set takes one option (all of its queries answered), and an answer beyond that (a second option of an
 * "either" set, a query of no set) is unrequested. `undefined` when nothing is extra.
 */
function unrequested(query: AuthorizationRequest["dcqlQuery"], answered: ReadonlySet<string>): string | undefined {
  const sets = query.credential_sets;
  if (sets === undefined) return undefined;
  const needed = new Set<string>();
  for (const set of sets) {
    const complete = set.options.filter((o) => o.every((id) => answered.has(id)));
    // The smallest complete option is the one chosen; a second complete option means more than was asked.
    const chosen = [...complete].sort((a, b) => a.length - b.length)[0];
    if (chosen !== undefined) for (const id of chosen) needed.add(id);
    if (complete.length > 1) {
      const spare = complete.flat().find((id) => !chosen?.includes(id));
      if (spare !== undefined && !sets.some((s) => s !== set && s.options.some((o) => o.includes(spare)))) return spare;
    }
  }
  return [...answered].find((id) => !needed.has(id));
}

function oldest(presentations: readonly Openid4vpPresentationOutcome[]): LedgerAsOf | undefined {
  let best: LedgerAsOf | undefined;
  for (const p of presentations) {
    const a = p.outcome.ledgerAsOf;
    if (a !== undefined && (best === undefined || a.blockNumber < best.blockNumber)) best = a;
  }
  return best;
}
