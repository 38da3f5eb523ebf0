import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { encodeBase64url } from "../../base64url.ts";
import { MobileIdError } from "../../errors.ts";
import { KEY_BINDING_ALGORITHMS, SD_ALG } from "./constants.ts";
import { type JoseSigner, type Sha256, nobleSha256 } from "./crypto.ts";

/** A claim path: a top-level claim name, or a nested one such as `["age_equal_or_over", "19"]`. */
export type ClaimPath = string | readonly string[];

/** Parameters of {@link presentSdJwtVc}. */
export interface PresentSdJwtVcParameters {
  /** One copy as issued (`<jwt>~<d1>~…~<dn>~`), with all its disclosures. */
  readonly credential: string;
  /** The claims the verifier asked for and the holder agreed to disclose; every other disclosure is left out. */
  readonly claims: readonly ClaimPath[];
  /** The verifier (KB-JWT `aud`). */
  readonly audience: string;
  /** The verifier's challenge (KB-JWT `nonce`). */
  readonly nonce: string;
  /** Seconds since the epoch (KB-JWT `iat`). */
  readonly issuedAt: number;
  /** The copy's holder key (ES256, P-256): the private half of its `cnf.jwk`. */
  readonly holderSigner: JoseSigner;
  readonly sha256?: Sha256;
}

const encoder = new TextEncoder();

/** A presentation frame as `@sd-jwt` takes it: `true` to disclose, a nested frame to descend. */
export interface PresentationFrame {
  [claim: string]: boolean | PresentationFrame;
}

/**
 * `["a", ["b", "c"]]` → `{ a: true, b: { c: true } }`, the library's presentation frame.
 *
 * @example
 * ```ts
 * presentationFrameOf([["age_equal_or_over", "19"]]) // { age_equal_or_over: { "19": true } }
 * ```
 */
export function presentationFrameOf(paths: readonly ClaimPath[]): PresentationFrame {
  const frame: PresentationFrame = {};
  for (const path of paths) {
    const parts = typeof path === "string" ? [path] : path;
    if (parts.length === 0) continue;
    let node = frame;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i] as string;
      const next = node[key];
      const child: PresentationFrame = typeof next === "object" ? next : {};
      node[key] = child;
      node = child;
    }
    const last = parts[parts.length - 1] as string;
    if (node[last] === undefined) node[last] = true;
  }
  return frame;
}

/**
 * The holder's answer to a request: the copy with only the requested disclosures and a key binding JWT
 * (`typ: kb+jwt`, ES256 by the copy's `cnf` key) over `aud`, `nonce`, `iat` and `sd_hash` of exactly what is
 * presented. A requested claim the copy does not carry is simply not disclosed (the verifier reports it as
 * withheld). Throws `INVALID_ARGUMENT` for a signer that is not ES256 or a credential the library cannot read.
 *
 * @example
 * ```ts
 * const vp = await presentSdJwtVc({
 *   credential: copies[0], claims: [["age_equal_or_over", "19"]],
 *   audience: request.domain, nonce: request.challenge, issuedAt: now, holderSigner,
 * });
 * ```
 */
export async function presentSdJwtVc(params: PresentSdJwtVcParameters): Promise<string> {
  const { holderSigner } = params;
  if (!(KEY_BINDING_ALGORITHMS as readonly string[]).includes(holderSigner.alg)) throw new MobileIdError("INVALID_ARGUMENT", "holder signer must be ES256");
  const sha256 = params.sha256 ?? nobleSha256;
  const sdjwt = new SDJwtVcInstance({
    hasher: (data) => sha256(typeof data === "string" ? encoder.encode(data) : new Uint8Array(data)),
    hashAlg: SD_ALG,
    kbSignAlg: holderSigner.alg,
    kbSigner: async (data) => encodeBase64url(await holderSigner.sign(encoder.encode(data))),
  });
  try {
    return await sdjwt.present(params.credential, presentationFrameOf(params.claims), {
      kb: { payload: { iat: params.issuedAt, aud: params.audience, nonce: params.nonce } },
    });
  } catch (cause) {
    // The one seam where the library's errors become ours.
    throw new MobileIdError("INVALID_ARGUMENT", "cannot present this credential", { cause });
  }
}
