/**
 * Protocol constants that more than one actor must agree on: size caps on what a wallet, the services and a
 * verifier accept, the development chain, and the status registry's per-call limits. Each value is written here
 * once; every package imports it from `@mobile-id/core` (or `@mobile-id/core/browser`). Pure, browser-safe.
 *
 * @example
 * ```ts
 * import { MAX_CREDENTIAL_BYTES, parseCompactJws } from "@mobile-id/core";
 * parseCompactJws(jwt, { maxBytes: MAX_CREDENTIAL_BYTES });
 * ```
 */

/**
 * The chain id of the development ledger (anvil / Hardhat default, `0x7a69` in a `did:ethr`). The public
 * development keys (root, roster) are trusted on this chain only.
 */
export const DEV_CHAIN_ID = 31337;

/**
 * Most characters of one credential (a compact VC JWT), for every actor: the wallet refuses to store a larger one,
 * the services refuse to take an offer of one, and the verifier refuses it (alone or inside a presentation).
 *
 * One cap so that a credential the wallet accepts is one a verifier accepts. It was 32 KiB in the wallet and the
 * offer route and 16 KiB in the verifier, so a wallet could keep a credential no verifier would take; the smaller
 * cap is the one kept: a mobile-ID credential is 1-3 KiB (claims are bounded by the credential type schemas), so
 * 16 KiB leaves a wide margin and keeps the work a hostile input can cause small.
 */
export const MAX_CREDENTIAL_BYTES = 16_384;

/** Most credentials one presentation may carry (counted before any of them is decoded). */
export const MAX_PRESENTATION_CREDENTIALS = 8;

/**
 * Most characters of one presentation (a compact VP JWT). A credential inside a VP JWT is a JSON string inside
 * the base64url payload, so it takes about 4/3 of its own length: one credential at {@link MAX_CREDENTIAL_BYTES}
 * takes ≈ 21.9 KiB, so this cap holds any single credential the verifier allows (with room to spare for the
 * envelope), two at the cap, or all {@link MAX_PRESENTATION_CREDENTIALS} of typical 1-3 KiB credentials. A
 * presentation of eight credentials each near the cap is refused as too large (`TOO_LARGE`): a holder presents
 * them in smaller groups. `protocol.test.ts` checks the first of these claims.
 */
export const MAX_PRESENTATION_BYTES = 65_536;

/** Most words `StatusRegistry.words(listId, fromWord, count)` returns per call (the contract's `MAX_READ_WORDS`). */
export const STATUS_READ_WORDS = 4096;

/** Most words one status batch transaction may touch (the contract's `StatusRegistry.MAX_BATCH_WORDS`). */
export const STATUS_BATCH_WORDS = 1024;

/**
 * The JOSE `typ` of signed Credential Issuer Metadata (OpenID4VCI 1.0 §12.2.3 `signed_metadata`): the issuer signs
 * it with its ledger key, and a wallet takes the issuer's DID only from that signature.
 */
export const ISSUER_METADATA_JWT_TYPE = "openidvci-issuer-metadata+jwt";
