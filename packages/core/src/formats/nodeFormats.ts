import { parseEthrDidFast } from "./ethrDid.ts";
import type { FormatContext, FormatResult, NormalizedCredential, NormalizedPresentation, PresentationFormatContext } from "./types.ts";
import { type JwtVcFormat, createJwtVcFormat } from "./jwtVc.ts";
import { type JwtVpFormat, createJwtVpFormat } from "./jwtVp.ts";
import { type FormatRegistry, createFormatRegistry } from "./registry.ts";
import { sdJwtVcFormat } from "./sdJwtVcFormat.ts";

// The format modules as `@mobile-id/core` (Node) exports them: DIDs parsed by `parseEthrDidFast` (OpenSSL point
// decompression, cached), the verifier's hot path. Same answers as browserFormats.ts (property-tested in
// ethrDid.test.ts: parseEthrDidFast agrees with parseEthrDid). Node-only: never import this from browser.ts.

/**
 * The `jwt-vc` format module (Node build: DIDs parsed with OpenSSL).
 *
 * @example
 * ```ts
 * const r = jwtVcFormat.parse(jwt, { chainId: 31337n, maxBytes: MAX_CREDENTIAL_BYTES });
 * ```
 */
export const jwtVcFormat: JwtVcFormat = createJwtVcFormat({ parseDid: parseEthrDidFast });

/**
 * The `jwt-vp` format module (Node build: DIDs parsed with OpenSSL).
 *
 * @example
 * ```ts
 * const jwt = await jwtVpFormat.sign(jwtVpFormat.build(draft), signer);
 * ```
 */
export const jwtVpFormat: JwtVpFormat = createJwtVpFormat({ parseDid: parseEthrDidFast });

/**
 * Today's formats (JWT-VC, SD-JWT VC, JWT-VP), Node build: DIDs parsed with OpenSSL. Register a new format by adding it here and in
 * browserFormats.ts.
 *
 * @example
 * ```ts
 * defaultFormats.credentialFor(raw)?.parse(raw, context)
 * ```
 */
export const defaultFormats: FormatRegistry = createFormatRegistry({
  // SD-JWT VC (issue 10): a key-bound credential answered on its own with a KB-JWT; registering it is what lets a
  // verifier built on this registry take SD-JWT VC presentations (see `sdJwtVcFormat`).
  credentialFormats: [jwtVcFormat, sdJwtVcFormat],
  presentationFormats: [jwtVpFormat],
});

/**
 * Parses and checks a VC JWT per the core README, strictly and without I/O: a compact JWS with an ES256K header
 * (only `alg`, `typ`, `kid`), no duplicate JSON keys, only the known claims, `iss`/`sub` as `did:ethr` of this
 * chain, integer NumericDates with `nbf` and `exp` required, `vc.type` exactly `["VerifiableCredential", <type>]`,
 * a `credentialSchema`, and identity fields that agree with `iss`/`sub`. The status entry is read but its problems
 * are carried, not raised: the verifier reports them as `STATUS_INVALID` after the signature check. Never throws.
 *
 * @example
 * ```ts
 * const r = parseJwtVc(jwt, { chainId: 31337n, maxBytes: 16_384 });
 * ```
 */
export function parseJwtVc(raw: unknown, context: FormatContext): FormatResult<NormalizedCredential> {
  return jwtVcFormat.parse(raw, context);
}

/**
 * Parses and checks a VP JWT per the core README, strictly and without I/O: ES256K header, no duplicate keys, only
 * the known claims, `iss` a `did:ethr` of this chain, `exp` required, integer NumericDates, exactly one audience,
 * `vp.type` exactly `["VerifiablePresentation"]`, `vp.holder` (if present) equal to `iss`, and between 1 and
 * `maxCredentials` embedded credentials (counted before any of them is decoded). Never throws.
 *
 * @example
 * ```ts
 * const r = parseJwtVp(jwt, { chainId: 31337n, maxBytes: 65_536, maxCredentials: 8 });
 * ```
 */
export function parseJwtVp(raw: unknown, context: PresentationFormatContext): FormatResult<NormalizedPresentation> {
  return jwtVpFormat.parse(raw, context);
}
