import { createHash, randomBytes } from "node:crypto";
import { Signature, SigningKey, getBytes, hexlify, recoverAddress } from "ethers";
import type { CallbackContext, Jwk, JwtSigner } from "@openid4vc/oauth2";
import { Openid4vpClient, type ResolvedOpenid4vpAuthorizationRequest } from "@openid4vc/openid4vp";
import { decodeBase64url, encodeBase64url, parseEthrDid } from "@mobile-id/core";
import { type P256Jwk, type ResponseEnc, RESPONSE_ENC_VALUES, encryptResponseJwe } from "../openid4vp/responseEncryption.ts";

/**
 * A minimal OpenID4VP holder built on `@openid4vc/openid4vp`'s `Openid4vpClient` only (issue 11: "interoperability
 * is tested with code we did not write"): it parses an `openid4vp://` link, fetches and verifies the signed
 * request object (the library checks `typ`, the `decentralized_identifier:` client id against the JWS `kid`; the
 * ES256K signature is checked here against the DID's controller address, no registry delegates), builds the
 * response and posts it with the library; for `direct_post.jwt` the library picks the key from `client_metadata.jwks`
 * and the `enc`, and the JWE is made here (ECDH-ES). What goes into `vp_token` (the presentations) is the caller's.
 */
export interface LibraryHolder {
  /** Resolves a request link (`openid4vp://?client_id=…&request_uri=…`). */
  resolve(link: string): Promise<ResolvedOpenid4vpAuthorizationRequest>;
  /** Creates the response with the library and posts it to the request's `response_uri`. */
  answer(resolved: ResolvedOpenid4vpAuthorizationRequest, vpToken: Record<string, string[]>): Promise<Response>;
  /** Posts `error=access_denied` (the holder declined) with the request's state. */
  decline(resolved: ResolvedOpenid4vpAuthorizationRequest): Promise<Response>;
}

type Fetch = NonNullable<CallbackContext["fetch"]>;

const hash: CallbackContext["hash"] = (data, alg) => {
  const name = { "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512" }[alg as string];
  if (name === undefined) throw new Error(`unsupported hash ${alg}`);
  return new Uint8Array(createHash(name).update(data).digest());
};

/** ES256K over the request object, by the controller key of the DID in `kid` (recovered from the signature). */
const verifyJwt: CallbackContext["verifyJwt"] = (signer: JwtSigner, jwt) => {
  if (signer.method !== "did" || jwt.header.alg !== "ES256K") return { verified: false };
  const did = parseEthrDid(signer.didUrl.split("#")[0] ?? "");
  const parts = jwt.compact.split(".");
  const signature = decodeBase64url(parts[2] ?? "");
  if (did === undefined || signature === undefined || signature.length !== 64) return { verified: false };
  const digest = createHash("sha256").update(`${parts[0]}.${parts[1]}`).digest();
  for (const v of [27, 28]) {
    const sig = Signature.from({ r: hexlify(signature.slice(0, 32)), s: hexlify(signature.slice(32)), v });
    if (recoverAddress(digest, sig).toLowerCase() === did.address.toLowerCase()) {
      const pub = getBytes(SigningKey.recoverPublicKey(digest, sig));
      const signerJwk: Jwk = { kty: "EC", crv: "secp256k1", x: encodeBase64url(pub.slice(1, 33)), y: encodeBase64url(pub.slice(33)) };
      return { verified: true, signerJwk };
    }
  }
  return { verified: false };
};

/** ECDH-ES to the verifier's key, as the library asks (its apu/apv). */
const encryptJwe: CallbackContext["encryptJwe"] = (encryptor, data) => {
  if (encryptor.method !== "jwk" || encryptor.alg !== "ECDH-ES" || !(RESPONSE_ENC_VALUES as readonly string[]).includes(encryptor.enc)) {
    throw new Error("unsupported response encryption");
  }
  const jwe = encryptResponseJwe({
    recipient: encryptor.publicJwk as unknown as P256Jwk,
    plaintext: data,
    enc: encryptor.enc as ResponseEnc,
    ...(encryptor.apu === undefined ? {} : { apu: encryptor.apu }),
    ...(encryptor.apv === undefined ? {} : { apv: encryptor.apv }),
  });
  return { encryptionJwk: encryptor.publicJwk, jwe };
};

const unsupported = () => {
  throw new Error("not used by this holder (direct_post, no encryption)");
};

/**
 * @example
 * ```ts
 * const holder = createLibraryHolder();
 * const resolved = await holder.resolve(link);
 * const res = await holder.answer(resolved, { dl: [presentation] });
 * ```
 */
export function createLibraryHolder(options: { readonly fetch?: Fetch } = {}): LibraryHolder {
  const fetch: Fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const client = new Openid4vpClient({
    callbacks: { hash, verifyJwt, fetch, signJwt: unsupported, encryptJwe, decryptJwe: unsupported },
  });
  return {
    async resolve(link) {
      const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
      return client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params as never });
    },
    async answer(resolved, vpToken) {
      const request = resolved.authorizationRequestPayload;
      const encrypted = request.response_mode === "direct_post.jwt";
      const { authorizationResponsePayload, jarm } = await client.createOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: request,
        authorizationResponsePayload: { vp_token: vpToken },
        ...(encrypted
          ? {
              jarm: {
                encryption: { nonce: randomBytes(16).toString("base64url") },
                serverMetadata: {
                  authorization_signing_alg_values_supported: ["ES256"],
                  authorization_encryption_alg_values_supported: ["ECDH-ES"],
                  authorization_encryption_enc_values_supported: [...RESPONSE_ENC_VALUES],
                },
              },
            }
          : {}),
      });
      const { response } = await client.submitOpenid4vpAuthorizationResponse({
        authorizationRequestPayload: request as { response_uri: string },
        authorizationResponsePayload,
        ...(jarm === undefined ? {} : { jarm: { responseJwt: jarm.responseJwt } }),
      });
      return response;
    },
    async decline(resolved) {
      const request = resolved.authorizationRequestPayload as { response_uri: string; state?: string };
      const body = new URLSearchParams({ error: "access_denied", error_description: "the holder declined", ...(request.state === undefined ? {} : { state: request.state }) });
      return fetch(request.response_uri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    },
  };
}
