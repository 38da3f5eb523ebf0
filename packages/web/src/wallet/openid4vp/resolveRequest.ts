/**
 * The web wallet's OpenID4VP 1.0 request reading (issue 11), step 1 of presenting: fetch the signed request object
 * by `request_uri`, verify it (JAR `typ`, ES256K by the `did:ethr` of the `decentralized_identifier:` client id:
 * its owner key or a signing delegate on the ledger), look the relying party up on the ledger for every credential
 * type and claim its DCQL query names (refused, with the registration's reason, when it may not ask), and match the
 * query against the SD-JWT VC cards on this device with the `dcql` library. Nothing is sent to the verifier here.
 *
 * Browser glue with everything that varies injected (fetch, the ledger look-up, the clock), so that it can give way
 * to the wallet package's platform-neutral `resolvePresentationRequest` once that reads the device's copies.
 */
import { DcqlQuery } from "dcql";
import { decodeBase64url } from "@mobile-id/core/browser";
import type { Openid4vpLink } from "../../lib/openid4vpLink.ts";
import type { PartyFacts } from "../../lib/api.ts";
import { es256kSigners, signedByIssuer } from "../status.ts";
import { type ResponseEnc, type ResponseKey, responseEncryptionOf } from "@mobile-id/wallet/browser";
import type { SdJwtCard } from "../sdjwt/copies.ts";

/** What `GET /relying-parties/:address?type=&claims=` answers (the services' ledger mirror). */
export interface RelyingPartyFacts {
  readonly did: string;
  readonly name: string;
  readonly purpose: string;
  readonly status: string;
  /** The party's ERC-1056 keys, as for an issuer (`GET /parties`): owner, delegates, public-key attributes. */
  readonly keys: PartyFacts["keys"];
  readonly decision?:
    | { readonly permitted: true; readonly notPermitted: readonly string[] }
    | { readonly permitted: false; readonly code: string; readonly message: string; readonly notPermitted: readonly string[] };
}

/** Why a request is not answered. Stable codes; the relying-party ones are core's `RelyingPartyCode`s. */
export type VpRequestErrorCode =
  | "REQUEST_INVALID"
  | "REQUEST_EXPIRED"
  | "REQUEST_SIGNATURE_INVALID"
  | "REQUEST_UNSUPPORTED"
  | "REQUEST_UNREACHABLE"
  | "RELYING_PARTY_UNREGISTERED"
  | "RELYING_PARTY_SUSPENDED"
  | "RELYING_PARTY_REVOKED"
  | "RELYING_PARTY_EXPIRED"
  | "RELYING_PARTY_PENDING"
  | "CLAIM_NOT_PERMITTED";

export class VpRequestError extends Error {
  override readonly name = "VpRequestError";
  readonly code: VpRequestErrorCode;
  /** The relying party's registered name, when the ledger knows it. */
  readonly party: string | undefined;
  /** Claims outside the registration (`CLAIM_NOT_PERMITTED`). */
  readonly notPermitted: readonly string[];
  constructor(code: VpRequestErrorCode, message: string, options: { readonly party?: string; readonly notPermitted?: readonly string[]; readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.party = options.party;
    this.notPermitted = options.notPermitted ?? [];
  }
}

type Path = readonly string[];

/** One card that answers one credential query, and the claims it would disclose. */
export interface PlannedCard {
  readonly queryId: string;
  readonly batch: string;
  readonly type: string;
  readonly issuer: string;
  /** The DCQL claim paths disclosed (exactly those asked for). */
  readonly paths: readonly Path[];
  /** Their values as held (resident registration number masked), for the consent screen. */
  readonly values: readonly unknown[];
  /** Unused copies left after this answer (the copy this verifier already saw is used again: none spent). */
  readonly copiesLeftAfter: number;
}

/** The consent screen's plan and what the answer needs. */
export interface VpPlan {
  readonly clientId: string;
  readonly party: { readonly did: string; readonly name: string; readonly purpose: string };
  readonly nonce: string;
  readonly state: string | undefined;
  readonly responseUri: string;
  /** `direct_post.jwt`: the verifier's key for this request and the `enc` to use; absent for `direct_post`. */
  readonly encryption?: { readonly key: ResponseKey; readonly enc: ResponseEnc };
  readonly expiresAt: number;
  readonly cards: readonly PlannedCard[];
  /**
   * Per entry of `cards`, every held card that may answer in its place (`cards[i]` is `choices[i][0]`, preselected):
   * several when "any one of" several types is asked (DCQL `credential_sets` options) or several cards of one type
   * are held. Absent on plans made elsewhere: no choice.
   */
  readonly choices?: readonly (readonly PlannedCard[])[];
  /** Required credential queries (or sets) no card on this device answers: only a decline can be sent. */
  readonly missing: readonly string[];
  /** The types asked for, for the "you hold none of these" explanation. */
  readonly askedTypes: readonly string[];
}

export interface ResolveVpRequestParameters {
  readonly link: Openid4vpLink;
  readonly cards: readonly SdJwtCard[];
  /** GET of the request object (`request_uri`): status and body text. */
  readonly fetchRequestObject: (uri: string) => Promise<{ readonly status: number; readonly contentType: string; readonly body: string }>;
  /** The ledger's facts about a relying party and, with `type`, its decision for those claims. */
  readonly relyingParty: (address: string, type?: string, claims?: readonly string[]) => Promise<RelyingPartyFacts>;
  /** Seconds since the epoch. */
  readonly now: number;
}

const TYP = "oauth-authz-req+jwt";
const VCT = /^urn:mobile-id:vct:([A-Za-z][A-Za-z0-9]*):\d+$/;
/** A request object larger than this is refused unread. */
const MAX_REQUEST_OBJECT_CHARS = 32_768;
const MAX_CREDENTIAL_QUERIES = 8;
const MAX_CLAIMS = 32;
/** Clock skew tolerated on `iat`. */
const SKEW = 60;

const decoder = new TextDecoder();
function jsonPart(part: string | undefined): Record<string, unknown> | undefined {
  const bytes = part === undefined ? undefined : decodeBase64url(part);
  if (bytes === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(decoder.decode(bytes));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The ledger's claim identifier of an SD-JWT VC claim path (`age_equal_or_over.19`). */
export const claimId = (path: Path): string => path.join(".");

function valueAt(claims: unknown, path: Path): unknown {
  let v = claims;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

/** The P-256 ECDH-ES key and `enc` of a `direct_post.jwt` request's `client_metadata` (HAIP), or a refusal. */
function responseEncryptionFor(metadata: unknown): { readonly key: ResponseKey; readonly enc: ResponseEnc } {
  const e = responseEncryptionOf(metadata);
  if (!e.ok) throw new VpRequestError("REQUEST_UNSUPPORTED", e.reason);
  return { key: e.key, enc: e.enc };
}

/**
 * Reads an OpenID4VP request and returns the consent plan, or throws a {@link VpRequestError}.
 *
 * @example
 * ```ts
 * const plan = await resolveVpRequest({ link, cards: sdCards, fetchRequestObject, relyingParty, now });
 * // plan.party.name, plan.party.purpose, plan.cards[i].paths: what the consent screen lists
 * ```
 */
export async function resolveVpRequest(params: ResolveVpRequestParameters): Promise<VpPlan> {
  const { link, now } = params;
  let fetched;
  try {
    fetched = await params.fetchRequestObject(link.requestUri);
  } catch (cause) {
    throw new VpRequestError("REQUEST_UNREACHABLE", "the request could not be fetched", { cause });
  }
  if (fetched.status === 400) throw new VpRequestError("REQUEST_EXPIRED", "the verifier no longer accepts an answer to this request (expired or answered)");
  if (fetched.status !== 200) throw new VpRequestError("REQUEST_INVALID", `the request_uri answered ${fetched.status}`);
  if (!fetched.contentType.startsWith("application/oauth-authz-req+jwt")) throw new VpRequestError("REQUEST_INVALID", "the request_uri did not answer a request object");
  const jwt = fetched.body.trim();
  if (jwt.length > MAX_REQUEST_OBJECT_CHARS) throw new VpRequestError("REQUEST_INVALID", "the request object is too large");
  const parts = jwt.split(".");
  const header = jsonPart(parts[0]);
  const payload = jsonPart(parts[1]);
  if (parts.length !== 3 || header === undefined || payload === undefined) throw new VpRequestError("REQUEST_INVALID", "the request object is not a signed JWT");
  if (header["typ"] !== TYP) throw new VpRequestError("REQUEST_INVALID", `the request object's typ is not ${TYP}`);
  if (header["alg"] !== "ES256K") throw new VpRequestError("REQUEST_UNSUPPORTED", "the request object is not signed with ES256K");
  const kid = header["kid"];
  if (typeof kid !== "string" || kid.split("#")[0] !== link.did) throw new VpRequestError("REQUEST_SIGNATURE_INVALID", "the request object's key is not the client's DID");
  // Signed parameters win over the link's: they must be the same (OpenID4VP 1.0 §5.10, RFC 9101 §5).
  if (payload["client_id"] !== link.clientId) throw new VpRequestError("REQUEST_INVALID", "the request object's client_id is not the link's");
  const exp = payload["exp"];
  const iat = payload["iat"];
  if (typeof exp !== "number" || typeof iat !== "number") throw new VpRequestError("REQUEST_INVALID", "the request object has no iat or exp");
  if (exp <= now) throw new VpRequestError("REQUEST_EXPIRED", "the request has expired");
  if (iat > now + SKEW) throw new VpRequestError("REQUEST_INVALID", "the request object is issued in the future");
  if (payload["response_type"] !== "vp_token") throw new VpRequestError("REQUEST_UNSUPPORTED", "only response_type vp_token is answered");
  const mode = payload["response_mode"];
  if (mode !== "direct_post" && mode !== "direct_post.jwt") throw new VpRequestError("REQUEST_UNSUPPORTED", "only response_mode direct_post or direct_post.jwt is answered");
  // direct_post.jwt: the answer is encrypted to the request's own key (never sent in the clear instead).
  const encryption = mode === "direct_post.jwt" ? responseEncryptionFor(payload["client_metadata"]) : undefined;
  const nonce = payload["nonce"];
  const state = payload["state"];
  const responseUri = payload["response_uri"];
  if (typeof nonce !== "string" || nonce.length < 16) throw new VpRequestError("REQUEST_INVALID", "the request has no nonce");
  if (state !== undefined && typeof state !== "string") throw new VpRequestError("REQUEST_INVALID", "the request's state is not a string");
  let response: URL;
  try {
    response = new URL(String(responseUri));
  } catch {
    throw new VpRequestError("REQUEST_INVALID", "the request has no response_uri");
  }
  // The answer goes back where the request came from, never elsewhere.
  if (response.origin !== new URL(link.requestUri).origin) throw new VpRequestError("REQUEST_INVALID", "the response_uri is not on the request's origin");

  let query: DcqlQuery;
  try {
    query = DcqlQuery.parse(payload["dcql_query"] as DcqlQuery.Input);
    DcqlQuery.validate(query);
  } catch (cause) {
    throw new VpRequestError("REQUEST_INVALID", "the request's dcql_query is not a valid DCQL query", { cause });
  }
  if (query.credentials.length > MAX_CREDENTIAL_QUERIES) throw new VpRequestError("REQUEST_INVALID", "the DCQL query asks for too many credentials");
  const queries = query.credentials.map((c) => {
    if (c.format !== "dc+sd-jwt") throw new VpRequestError("REQUEST_UNSUPPORTED", `credential format ${c.format} is not answered by this wallet yet`);
    const claims = (c.claims ?? []) as { readonly path: readonly (string | number | null)[] }[];
    if (claims.length === 0 || claims.length > MAX_CLAIMS) throw new VpRequestError("REQUEST_INVALID", "each credential query names 1 to 32 claims");
    const paths = claims.map((x) => {
      if (!x.path.every((p): p is string => typeof p === "string")) throw new VpRequestError("REQUEST_UNSUPPORTED", "claim paths with array indexes or wildcards are not answered");
      return x.path as Path;
    });
    const types = ((c.meta as { vct_values?: string[] } | undefined)?.vct_values ?? []).map((v) => VCT.exec(v)?.[1]);
    if (types.length === 0 || types.some((t) => t === undefined)) throw new VpRequestError("REQUEST_UNSUPPORTED", "a credential query names no mobile-id card type");
    return { id: c.id, types: types as string[], paths };
  });

  // The signature, by the client DID's key as the ledger has it now; then, per type, the registration's decision.
  const address = link.did.split(":").pop() ?? "";
  let facts: RelyingPartyFacts;
  try {
    facts = await params.relyingParty(address);
  } catch (cause) {
    throw new VpRequestError("REQUEST_UNREACHABLE", "the relying party could not be looked up on the ledger", { cause });
  }
  if (!signedByIssuer(es256kSigners(jwt), facts.keys, now)) throw new VpRequestError("REQUEST_SIGNATURE_INVALID", "the request object is not signed by the client's key", facts.name === "" ? {} : { party: facts.name });
  for (const q of queries) {
    for (const type of q.types) {
      let decided: RelyingPartyFacts;
      try {
        decided = await params.relyingParty(address, type, q.paths.map(claimId));
      } catch (cause) {
        throw new VpRequestError("REQUEST_UNREACHABLE", "the relying party's registration could not be read", { cause });
      }
      const d = decided.decision;
      if (d === undefined) throw new VpRequestError("REQUEST_UNREACHABLE", "the ledger gave no decision");
      if (!d.permitted) {
        const code = (["RELYING_PARTY_UNREGISTERED", "RELYING_PARTY_SUSPENDED", "RELYING_PARTY_REVOKED", "RELYING_PARTY_EXPIRED", "RELYING_PARTY_PENDING", "CLAIM_NOT_PERMITTED"] as const).find((x) => x === d.code) ?? "RELYING_PARTY_UNREGISTERED";
        throw new VpRequestError(code, d.message, { ...(decided.name === "" ? {} : { party: decided.name }), notPermitted: d.notPermitted });
      }
    }
  }

  // Match the query against this device's cards (unexpired; the verifier judges status, the screen warns).
  const held = params.cards.filter((c) => c.validUntil > now && (c.remaining > 0 || c.shownTo.includes(link.clientId)));
  const input = held.map((c) => ({ credential_format: "dc+sd-jwt" as const, vct: c.vct, claims: c.claims as Record<string, never>, cryptographic_holder_binding: true }));
  const result = DcqlQuery.query(query, input as Parameters<typeof DcqlQuery.query>[1]);
  const missing: string[] = [];
  const planned = (q: (typeof queries)[number], card: SdJwtCard): PlannedCard => ({
    queryId: q.id,
    batch: card.batch,
    type: card.type,
    issuer: card.issuer,
    paths: q.paths,
    values: q.paths.map((p) => valueAt(card.claims, p)),
    copiesLeftAfter: card.shownTo.includes(link.clientId) ? card.remaining : card.remaining - 1,
  });
  // Every held card that answers a query, in the library's order (the first is the default).
  const candidatesOf = (id: string): PlannedCard[] => {
    const q = queries.find((x) => x.id === id);
    const match = result.credential_matches[id];
    if (q === undefined || match?.success !== true) return [];
    return match.valid_credentials.flatMap((v) => {
      const card = held[v.input_credential_index];
      return card === undefined ? [] : [planned(q, card)];
    });
  };
  // One slot per card to send; a slot's candidates are the cards the holder may choose between.
  const slots: PlannedCard[][] = [];
  const answered = new Set<string>();
  const plan = (ids: readonly string[]) => {
    for (const id of ids) {
      if (answered.has(id)) continue;
      answered.add(id);
      const candidates = candidatesOf(id);
      if (candidates.length === 0) missing.push(id);
      else slots.push(candidates);
    }
  };
  if (result.credential_sets === undefined) {
    for (const q of queries) {
      if (result.credential_matches[q.id]?.success === true) plan([q.id]);
      else missing.push(q.id);
    }
  } else {
    for (const set of result.credential_sets) {
      const options = set.matching_options ?? [];
      const option = options[0];
      if (option === undefined) {
        if (set.required !== false) missing.push(set.options.map((o) => o.join("+")).join(" | "));
      } else if (option.length === 1 && !answered.has(option[0] ?? "")) {
        // "Any one of": every single-query option that matches is a choice, the first one's first card preselected.
        const ids = [...new Set(options.filter((o) => o.length === 1).map((o) => o[0] as string))].filter((id) => !answered.has(id));
        const seen = new Set<string>();
        const candidates = ids.flatMap(candidatesOf).filter((c) => !seen.has(c.batch) && (seen.add(c.batch), true));
        answered.add(option[0] as string);
        if (candidates.length === 0) missing.push(option[0] as string);
        else slots.push(candidates);
      } else plan(option);
    }
  }
  const cards = slots.map((s) => s[0] as PlannedCard);
  return {
    clientId: link.clientId,
    party: { did: link.did, name: facts.name, purpose: facts.purpose },
    nonce,
    state,
    responseUri: response.href,
    ...(encryption === undefined ? {} : { encryption }),
    expiresAt: exp,
    cards,
    choices: slots,
    missing,
    askedTypes: [...new Set(queries.flatMap((q) => q.types))],
  };
}

/**
 * The plan with the holder's choice: `choice[i]` picks `plan.choices[i][choice[i]]` for `cards[i]` (missing entries
 * keep the preselected card). An index that is not among the candidates throws a `RangeError` (nothing is sent).
 *
 * @example
 * ```ts
 * const answer = await shareVpAnswer({ plan: withChosenCards(plan, [1]), vault, post }); // the second card offered
 * ```
 */
export function withChosenCards(plan: VpPlan, choice: readonly number[]): VpPlan {
  const cards = plan.cards.map((card, i) => {
    const pick = choice[i] ?? 0;
    const options = plan.choices?.[i] ?? [card];
    const chosen = options[pick];
    if (!Number.isInteger(pick) || chosen === undefined) throw new RangeError(`card ${i}: no choice ${pick}`);
    return chosen;
  });
  return { ...plan, cards };
}
