import { DcqlQuery } from "dcql";
import { MobileIdError, findCredentialType } from "@mobile-id/core";
import { findSdJwtVcProfile } from "@mobile-id/core/sd-jwt-vc";

/**
 * Stable codes of the OpenID4VP verifier side (issue 11) for what a verifier refuses to put in a request. The
 * relying-party refusals use core's `RelyingPartyCode` (`RELYING_PARTY_UNREGISTERED`, `CLAIM_NOT_PERMITTED`, ...).
 */
export const Openid4vpErrorCode = {
  /** Not a DCQL query (the `dcql` library's parse or validation failed). */
  DCQL_INVALID: "DCQL_INVALID",
  /** Over the size caps of {@link DCQL_LIMITS} (checked before the library parses anything). */
  DCQL_TOO_LARGE: "DCQL_TOO_LARGE",
  /** A valid DCQL query this verifier cannot answer: another format, an unknown type, trusted authorities, ... */
  DCQL_UNSUPPORTED: "DCQL_UNSUPPORTED",
} as const;
export type Openid4vpErrorCode = (typeof Openid4vpErrorCode)[keyof typeof Openid4vpErrorCode];

/** Caps on a DCQL query, one place for the verifier (creation) and its response check. */
export const DCQL_LIMITS = {
  /** Serialised JSON, UTF-16 code units. */
  maxBytes: 8_192,
  maxCredentialQueries: 8,
  maxClaimsPerCredential: 32,
  maxCredentialSets: 8,
  maxOptionsPerSet: 8,
  /** Components of one claim path. */
  maxPathLength: 4,
  /** Values one claim may be matched against. */
  maxValuesPerClaim: 16,
} as const;

/** The formats this verifier asks for. */
export type Openid4vpFormat = "dc+sd-jwt" | "jwt_vc_json";

/** One credential query of a DCQL query, resolved to a registered credential type. */
export interface RequestedCredential {
  /** The credential query id (the `vp_token` key). */
  readonly id: string;
  readonly format: Openid4vpFormat;
  /** The registered type name, e.g. `DriversLicenseCredential`. */
  readonly typeName: string;
  readonly typeVersion: number;
  /** Claim paths as the query writes them (`["age_equal_or_over","19"]`, `["credentialSubject","givenName"]`). */
  readonly paths: readonly (readonly string[])[];
  /** The same claims as paths inside the credential subject (what the ledger registration names). */
  readonly subjectPaths: readonly (readonly string[])[];
  /** The query has `claim_sets`: not every claim is required. */
  readonly hasClaimSets: boolean;
  readonly multiple: boolean;
}

/** A DCQL query checked against the caps and the library, with its credential queries resolved. */
export interface ParsedDcqlQuery {
  readonly query: DcqlQuery;
  readonly credentials: readonly RequestedCredential[];
}

const fail = (code: Openid4vpErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown): never => {
  throw new MobileIdError(code, message, { details, cause });
};

function countCaps(input: unknown): void {
  let json: string;
  try {
    json = JSON.stringify(input);
  } catch (cause) {
    return fail(Openid4vpErrorCode.DCQL_INVALID, "the DCQL query is not JSON", {}, cause);
  }
  if (typeof json !== "string") fail(Openid4vpErrorCode.DCQL_INVALID, "the DCQL query is not a JSON object");
  if (json.length > DCQL_LIMITS.maxBytes) {
    fail(Openid4vpErrorCode.DCQL_TOO_LARGE, `the DCQL query has ${json.length} characters, over the cap of ${DCQL_LIMITS.maxBytes}`, { length: json.length });
  }
  const q = input as { credentials?: unknown; credential_sets?: unknown };
  if (q === null || typeof q !== "object" || Array.isArray(q)) fail(Openid4vpErrorCode.DCQL_INVALID, "the DCQL query is not a JSON object");
  const tooMany = (what: string, n: number, cap: number) => {
    if (n > cap) fail(Openid4vpErrorCode.DCQL_TOO_LARGE, `the DCQL query has ${n} ${what}, over the cap of ${cap}`, { [what]: n });
  };
  if (Array.isArray(q.credentials)) {
    tooMany("credentials", q.credentials.length, DCQL_LIMITS.maxCredentialQueries);
    for (const c of q.credentials as { claims?: unknown }[]) {
      if (c !== null && typeof c === "object" && Array.isArray(c.claims)) {
        tooMany("claims", c.claims.length, DCQL_LIMITS.maxClaimsPerCredential);
        for (const claim of c.claims as { path?: unknown; values?: unknown }[]) {
          if (claim !== null && typeof claim === "object" && Array.isArray(claim.path)) tooMany("path components", claim.path.length, DCQL_LIMITS.maxPathLength);
          if (claim !== null && typeof claim === "object" && Array.isArray(claim.values)) tooMany("values", claim.values.length, DCQL_LIMITS.maxValuesPerClaim);
        }
      }
    }
  }
  if (Array.isArray(q.credential_sets)) {
    tooMany("credential sets", q.credential_sets.length, DCQL_LIMITS.maxCredentialSets);
    for (const s of q.credential_sets as { options?: unknown }[]) {
      if (s !== null && typeof s === "object" && Array.isArray(s.options)) tooMany("options", s.options.length, DCQL_LIMITS.maxOptionsPerSet);
    }
  }
}

function resolveType(c: DcqlQuery["credentials"][number]): { typeName: string; typeVersion: number } {
  if (c.format === "dc+sd-jwt") {
    const vcts = (c.meta as { vct_values?: readonly string[] } | undefined)?.vct_values ?? [];
    if (vcts.length !== 1) fail(Openid4vpErrorCode.DCQL_UNSUPPORTED, `credential query ${c.id}: name exactly one vct in meta.vct_values`, { id: c.id });
    const profile = findSdJwtVcProfile(vcts[0] as string);
    if (profile === undefined) fail(Openid4vpErrorCode.DCQL_UNSUPPORTED, `credential query ${c.id}: unknown vct`, { id: c.id, vct: vcts[0] });
    const type = findCredentialType((profile as { typeName: string }).typeName);
    return { typeName: (profile as { typeName: string }).typeName, typeVersion: type?.version ?? 1 };
  }
  if (c.format === "jwt_vc_json") {
    const typeValues = (c.meta as { type_values?: readonly (readonly string[])[] } | undefined)?.type_values ?? [];
    const names = (typeValues.length === 1 ? (typeValues[0] ?? []) : []).filter((t) => t !== "VerifiableCredential");
    const type = names.length === 1 ? findCredentialType(names[0] as string) : undefined;
    if (type === undefined) {
      return fail(Openid4vpErrorCode.DCQL_UNSUPPORTED, `credential query ${c.id}: name one registered type in meta.type_values`, { id: c.id });
    }
    return { typeName: type.name, typeVersion: type.version };
  }
  return fail(Openid4vpErrorCode.DCQL_UNSUPPORTED, `credential query ${c.id}: format ${c.format} is not supported (dc+sd-jwt, jwt_vc_json)`, {
    id: c.id,
    format: c.format,
  });
}

/**
 * Checks a DCQL query (DCQL of OpenID4VP 1.0) against this verifier's caps, has the `dcql` library parse and
 * validate it, and resolves each credential query to a registered type: `dc+sd-jwt` by one `meta.vct_values`
 * entry (`urn:mobile-id:vct:<Type>:1`), `jwt_vc_json` by one `meta.type_values` entry naming the type. Claim paths
 * are strings only; `jwt_vc_json` paths start with `credentialSubject`. Throws `MobileIdError` with an
 * {@link Openid4vpErrorCode}: the caps are checked before the library sees the input.
 *
 * @example
 * ```ts
 * const { credentials } = parseDcqlQuery({ credentials: [{ id: "dl", format: "dc+sd-jwt",
 *   meta: { vct_values: ["urn:mobile-id:vct:DriversLicenseCredential:1"] }, claims: [{ path: ["age_equal_or_over", "19"] }] }] });
 * credentials[0].typeName // "DriversLicenseCredential"
 * ```
 */
export function parseDcqlQuery(input: unknown): ParsedDcqlQuery {
  countCaps(input);
  let query: DcqlQuery;
  try {
    query = DcqlQuery.parse(input as DcqlQuery.Input);
    DcqlQuery.validate(query);
  } catch (cause) {
    // The one seam where the library's errors become ours.
    return fail(Openid4vpErrorCode.DCQL_INVALID, "not a valid DCQL query", {}, cause);
  }
  const credentials = query.credentials.map((c): RequestedCredential => {
    if (c.trusted_authorities !== undefined) fail(Openid4vpErrorCode.DCQL_UNSUPPORTED, `credential query ${c.id}: trusted_authorities is not supported (the ledger decides)`, { id: c.id });
    const { typeName, typeVersion } = resolveType(c);
    const paths: string[][] = [];
    const subjectPaths: string[][] = [];
    for (const claim of (c.claims ?? []) as readonly { path: readonly unknown[] }[]) {
      if (!claim.path.every((p): p is string => typeof p === "string" && p.length > 0)) {
        fail(Openid4vpErrorCode.DCQL_UNSUPPORTED, `credential query ${c.id}: claim paths are names only (no array selection)`, { id: c.id });
      }
      const path = claim.path as string[];
      const subject = c.format === "jwt_vc_json" ? (path[0] === "credentialSubject" && path.length > 1 ? path.slice(1) : undefined) : path;
      if (subject === undefined) fail(Openid4vpErrorCode.DCQL_UNSUPPORTED, `credential query ${c.id}: jwt_vc_json claim paths start with credentialSubject`, { id: c.id });
      paths.push(path);
      subjectPaths.push(subject as string[]);
    }
    return {
      id: c.id,
      format: c.format as Openid4vpFormat,
      typeName,
      typeVersion,
      paths,
      subjectPaths,
      hasClaimSets: (c as { claim_sets?: unknown }).claim_sets !== undefined,
      multiple: c.multiple === true,
    };
  });
  return { query, credentials };
}
