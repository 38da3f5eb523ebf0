/**
 * An OpenID4VP verifier made with `@openid4vc/openid4vp`'s verifier side only (`Openid4vpVerifier`): signed request
 * objects (ES256K, `kid` = the relying party's DID URL) served by `request_uri`, DCQL, `direct_post` answers parsed
 * and checked against the request by the library. Test support for the wallet's interoperability tests.
 */
import { createHash } from "node:crypto";
import { getBytes } from "ethers";
import { HashAlgorithm, type JwtSigner } from "@openid4vc/oauth2";
import { Openid4vpVerifier } from "@openid4vc/openid4vp";
import { createEs256kSigner, encodeBase64url, toEthrDid } from "@mobile-id/core";

const enc = new TextEncoder();
const b64json = (o: unknown) => encodeBase64url(enc.encode(JSON.stringify(o)));
const sha256 = (data: Uint8Array) => new Uint8Array(createHash("sha256").update(data).digest());
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** An OpenID4VP verifier made with the library's verifier side only; `rp` signs its request objects. */
export function libraryVerifier(rp: { privateKey: string; address: string }, origin: string, options: { requestOrigin?: string; signer?: { privateKey: string } } = {}) {
  const did = toEthrDid(31337, rp.address);
  const clientId = `decentralized_identifier:${did}`;
  const received: Record<string, string>[] = [];
  const requests = new Map<string, { jwt: string; payload: Record<string, unknown> }>();
  const verifier = new Openid4vpVerifier({
    callbacks: {
      hash: (data: Uint8Array, alg: HashAlgorithm) => (alg === HashAlgorithm.Sha256 ? sha256(data) : sha256(data)),
      signJwt: async (_signer: JwtSigner, jwt: { header: Record<string, unknown>; payload: Record<string, unknown> }) => {
        const input = `${b64json(jwt.header)}.${b64json(jwt.payload)}`;
        const key = createEs256kSigner(getBytes((options.signer ?? rp).privateKey));
        return { jwt: `${input}.${encodeBase64url(await key.sign(enc.encode(input)))}`, signerJwk: { kty: "EC", crv: "secp256k1" } };
      },
      verifyJwt: async () => ({ verified: false as const }),
      decryptJwe: async () => ({ decrypted: false as const }),
      encryptJwe: async () => {
        throw new Error("no encryption in this test");
      },
    } as never,
  });
  let next = 0;
  return {
    did,
    clientId,
    received,
    async handle(req: Request): Promise<Response> {
      const url = new URL(req.url);
      const r = /^\/verifier\/openid4vp\/requests\/(\d+)$/.exec(url.pathname);
      if (r !== null && req.method === "GET") {
        const stored = requests.get(r[1] as string);
        return stored === undefined ? json({ error: "invalid_request" }, 404) : new Response(stored.jwt, { headers: { "content-type": "application/oauth-authz-req+jwt" } });
      }
      const p = /^\/verifier\/openid4vp\/responses\/(\d+)$/.exec(url.pathname);
      if (p !== null && req.method === "POST") {
        const form = Object.fromEntries(new URLSearchParams(await req.text()));
        received.push(form);
        const stored = requests.get(p[1] as string);
        if (stored === undefined) return json({ error: "invalid_request" }, 404);
        if (form["error"] !== undefined) return json({});
        // The library's verifier side: the answer's shape against the request and its DCQL query.
        await verifier.parseOpenid4vpAuthorizationResponse({
          authorizationResponse: form,
          authorizationRequestPayload: stored.payload as never,
          callbacks: { verifyJwt: async () => ({ verified: false as const }), decryptJwe: async () => ({ decrypted: false as const }) },
        });
        return json({ redirect_uri: `${origin}/done` });
      }
      return json({ error: "not_found" }, 404);
    },
    async request(dcql: Record<string, unknown>): Promise<{ uri: string; nonce: string; id: string }> {
      const id = String(next++);
      const nonce = encodeBase64url(crypto.getRandomValues(new Uint8Array(18)));
      const { authorizationRequest, authorizationRequestPayload, jar } = await verifier.createOpenId4vpAuthorizationRequest({
        authorizationRequestPayload: {
          response_type: "vp_token",
          client_id: clientId,
          response_mode: "direct_post",
          response_uri: `${origin}/verifier/openid4vp/responses/${id}`,
          nonce,
          state: `state-${id}`,
          dcql_query: dcql,
          client_metadata: { vp_formats_supported: { "dc+sd-jwt": { "sd-jwt_alg_values": ["ES256K"], "kb-jwt_alg_values": ["ES256"] }, jwt_vc_json: { alg_values: ["ES256K"] } } },
        } as never,
        jar: { requestUri: `${options.requestOrigin ?? origin}/verifier/openid4vp/requests/${id}`, jwtSigner: { method: "did", didUrl: `${did}#controller`, alg: "ES256K" }, expiresInSeconds: 300 },
        scheme: "openid4vp://",
      } as never);
      requests.set(id, { jwt: (jar as { authorizationRequestJwt: string }).authorizationRequestJwt, payload: authorizationRequestPayload as Record<string, unknown> });
      return { uri: authorizationRequest, nonce, id };
    },
  };
}

