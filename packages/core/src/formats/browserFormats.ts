import { parseEthrDid } from "../did.ts";
import type { FormatContext, FormatResult, NormalizedCredential, NormalizedPresentation, PresentationFormatContext } from "./types.ts";
import { type JwtVcFormat, createJwtVcFormat } from "./jwtVc.ts";
import { type JwtVpFormat, createJwtVpFormat } from "./jwtVp.ts";
import { type FormatRegistry, createFormatRegistry } from "./registry.ts";
import { sdJwtVcFormat } from "./sdJwtVcFormat.ts";

// The format modules as `@mobile-id/core/browser` exports them: DIDs parsed by `parseEthrDid` (ethers, no node:
// import). Same answers as the Node entry's modules (nodeFormats.ts), which parse DIDs with OpenSSL.

/**
 * The `jwt-vc` format module (browser-safe build).
 *
 * @example
 * ```ts
 * const r = jwtVcFormat.parse(jwt, { chainId: 31337n, maxBytes: MAX_CREDENTIAL_BYTES });
 * ```
 */
export const jwtVcFormat: JwtVcFormat = createJwtVcFormat({ parseDid: parseEthrDid });

/**
 * The `jwt-vp` format module (browser-safe build).
 *
 * @example
 * ```ts
 * const jwt = await jwtVpFormat.sign(jwtVpFormat.build(draft), signer);
 * ```
 */
export const jwtVpFormat: JwtVpFormat = createJwtVpFormat({ parseDid: parseEthrDid });

/**
 * Today's formats (JWT-VC, SD-JWT VC, JWT-VP), browser-safe build. Register a new format by adding it here and in
 * nodeFormats.ts.
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
 * Parses and checks a VC JWT (see `parseJwtVc` of `@mobile-id/core`); browser-safe build.
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
 * Parses and checks a VP JWT (see `parseJwtVp` of `@mobile-id/core`); browser-safe build.
 *
 * @example
 * ```ts
 * const r = parseJwtVp(jwt, { chainId: 31337n, maxBytes: 65_536, maxCredentials: 8 });
 * ```
 */
export function parseJwtVp(raw: unknown, context: PresentationFormatContext): FormatResult<NormalizedPresentation> {
  return jwtVpFormat.parse(raw, context);
}
