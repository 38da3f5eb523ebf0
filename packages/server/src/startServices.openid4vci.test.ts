import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { HashAlgorithm, type Jwk, type JwtSigner, clientAuthenticationNone, setGlobalConfig } from "@openid4vc/oauth2";
import { Openid4vciClient } from "@openid4vc/openid4vci";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPublicKeyEthrDid } from "@mobile-id/core";
import { verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { jwkThumbprintUri } from "@mobile-id/issuer";
import { nodeEs256Verify, nodeEs256kPublicKeyVerifier, nodeSha256 } from "@mobile-id/core/sd-jwt-vc/node";
import { type TestServices, startTestServices } from "./testing.ts";

/*
 * Interoperability: our issuer driven by code we did not write. The holder below is built on @openid4vc only
 * (Openid4vciClient, the wallet side), with node:crypto callbacks; it knows nothing of mobile-id.
 */

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** The holder's keys: P-256 (dc+sd-jwt) and secp256k1 (did:ethr, jwt_vc_json), private parts by public x. */
const privateKeys = new Map<string, KeyObject>();
function p256Key(): Jwk {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" }) as Jwk;
  privateKeys.set(jwk.x as string, privateKey);
  return { kty: "EC", crv: "P-256", x: jwk.x as string, y: jwk.y as string };
}
function didKey(chainId: number): { did: string; kid: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "secp256k1" });
  const jwk = publicKey.export({ format: "jwk" }) as { x: string; y: string };
  const y = Buffer.from(jwk.y, "base64url");
  const compressed = `0x${((y[31] as number) & 1 ? "03" : "02")}${Buffer.from(jwk.x, "base64url").toString("hex")}`;
  const did = toPublicKeyEthrDid(chainId, compressed);
  privateKeys.set(`${did}#controller`, privateKey);
  return { did, kid: `${did}#controller` };
}
const signJws = (header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
};

const dpopProof = (key: Jwk, htu: string, accessToken?: string): string =>
  signJws(
    { typ: "dpop+jwt", alg: "ES256", jwk: key },
    {
      htm: "POST",
      htu,
      iat: Math.floor(Date.now() / 1000),
      jti: randomBytes(16).toString("base64url"),
      ...(accessToken === undefined ? {} : { ath: createHash("sha256").update(accessToken).digest("base64url") }),
    },
    privateKeys.get(key.x as string) as KeyObject,
  );

const holder = new Openid4vciClient({
  callbacks: {
    hash: (data, alg) => {
      if (alg !== HashAlgorithm.Sha256) throw new Error(alg);
      return createHash("sha256").update(data).digest();
    },
    generateRandom: (n) => randomBytes(n),
    clientAuthentication: clientAuthenticationNone({ clientId: "library-holder" }),
    signJwt: (signer: JwtSigner, { header, payload }) => {
      const key = signer.method === "jwk" ? privateKeys.get(signer.publicJwk.x as string) : signer.method === "did" ? privateKeys.get(signer.didUrl) : undefined;
      if (key === undefined) throw new Error("no such holder key");
      return { jwt: signJws(header, payload, key), signerJwk: signer.method === "jwk" ? signer.publicJwk : ({} as Jwk) };
    },
  },
});

const claims = {
  familyName: "김",
  givenName: "민준",
  birthDate: "2005-03-14",
  studentNumber: "2026-12345",
  institution: "서울대학교",
  enrollmentStatus: "enrolled",
};
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()) as Record<string, unknown>;

describe("OpenID4VCI 1.0 issuance driven by @openid4vc's wallet client (anvil)", () => {
  let services: TestServices;
  let issuerUrl: string;
  beforeAll(async () => {
    // The services run on http://127.0.0.1 here; the library accepts only https unless told.
    setGlobalConfig({ allowInsecureUrls: true });
    services = await startTestServices();
    issuerUrl = `${services.url}/issuers/snu`;
  }, 120_000);
  afterAll(() => services?.close());

  const createOffer = async (body: Record<string, unknown> = {}) => {
    const r = await fetch(`${issuerUrl}/openid4vci/offers`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` },
      body: JSON.stringify({ credentialType: "StudentIDCredential", reference: "2026-12345", claims, ...body }),
    });
    expect(r.status).toBe(201);
    return (await r.json()) as { offerId: string; offerUri: string; credentialOfferUri: string; txCode: string; expiresAt: number };
  };
  const form = (body: Record<string, string>) =>
    fetch(`${issuerUrl}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body).toString() });
  const preAuthorizedCodeOf = async (offerId: string) => {
    const offer = (await (await fetch(`${issuerUrl}/openid4vci/offers/${offerId}`)).json()) as { grants: Record<string, { "pre-authorized_code": string }> };
    return offer.grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]?.["pre-authorized_code"] as string;
  };
  const tokenFor = async (offerId: string, txCode: string) => {
    const r = await form({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": await preAuthorizedCodeOf(offerId), tx_code: txCode });
    expect(r.status).toBe(200);
    return (await r.json()) as { access_token: string; refresh_token: string; expires_in: number };
  };
  const nonce = async () => ((await (await fetch(`${issuerUrl}/nonce`, { method: "POST" })).json()) as { c_nonce: string }).c_nonce;
  const proof = (key: Jwk, payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    signJws({ alg: "ES256", typ: "openid4vci-proof+jwt", jwk: key, ...header }, { aud: issuerUrl, iat: Math.floor(Date.now() / 1000), ...payload }, privateKeys.get(key.x as string) as KeyObject);
  const credential = (accessToken: string, body: unknown) =>
    fetch(`${issuerUrl}/credential`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` }, body: JSON.stringify(body) });
  const oauthError = async (r: Response) => ({ status: r.status, error: ((await r.json()) as { error: string }).error });

  it("offer URI → offer and metadata → token with tx_code → nonce → a batch of dc+sd-jwt copies, each bound to its proof's key", async () => {
    const offer = await createOffer({ formats: ["dc+sd-jwt", "jwt_vc_json"], copies: 3 });
    expect(offer.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=http/);
    expect(offer.txCode).toMatch(/^[0-9]{6}$/);

    const credentialOffer = await holder.resolveCredentialOffer(offer.offerUri);
    expect(credentialOffer.credential_configuration_ids).toEqual(["StudentIDCredential.dc+sd-jwt", "StudentIDCredential.jwt_vc_json"]);
    const issuerMetadata = await holder.resolveIssuerMetadata(credentialOffer.credential_issuer);
    expect(issuerMetadata.credentialIssuer.credential_issuer).toBe(issuerUrl);
    expect(issuerMetadata.credentialIssuer.batch_credential_issuance?.batch_size).toBe(10);
    const { accessTokenResponse } = await holder.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.txCode });
    const { c_nonce } = await holder.requestNonce({ issuerMetadata });

    // The wallet cannot know the offer's copy count: it sends up to the batch size, and the first 3 keys are bound.
    const keys = [p256Key(), p256Key(), p256Key(), p256Key(), p256Key()];
    const configId = "StudentIDCredential.dc+sd-jwt";
    const jwts = await Promise.all(
      keys.map(async (publicJwk) => (await holder.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: configId, nonce: c_nonce, signer: { method: "jwk", alg: "ES256", publicJwk } })).jwt),
    );
    const { credentialResponse } = await holder.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: configId, proofs: { jwt: jwts } });
    const copies = (credentialResponse.credentials ?? []).map((c) => (c as { credential: string }).credential);
    expect(copies).toHaveLength(3);

    const snu = services.roster.issuers.find((i) => i.slug === "snu")!;
    const issuerKey = Buffer.from((snu.signer as unknown as { signingKey: { compressedPublicKey: string } }).signingKey.compressedPublicKey.slice(2), "hex");
    for (const [i, copy] of copies.entries()) {
      const v = await verifySdJwtVc({
        token: copy,
        now: Math.floor(Date.now() / 1000),
        chainId: BigInt(services.descriptor.chainId),
        verifyIssuerSignature: nodeEs256kPublicKeyVerifier(issuerKey),
        sha256: nodeSha256,
        es256Verify: nodeEs256Verify,
      });
      if (!v.ok) throw new Error(`${v.code}: ${v.message}`);
      expect(v.value.holderKey.x).toBe(keys[i]?.x);
      expect(v.value.claims).toMatchObject({ givenName: "민준", enrollmentStatus: "enrolled" });
      expect(v.value.typeName).toBe("StudentIDCredential");
    }

    // The same grant, the other format: a JWT-VC bound to the holder's did:ethr (ES256K proof, kid = DID URL).
    const holderDid = didKey(services.descriptor.chainId);
    const { c_nonce: n2 } = await holder.requestNonce({ issuerMetadata });
    const didProof = await holder.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: "StudentIDCredential.jwt_vc_json",
      nonce: n2,
      signer: { method: "did", alg: "ES256K", didUrl: holderDid.kid },
    });
    const vc = await holder.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: "StudentIDCredential.jwt_vc_json", proofs: { jwt: [didProof.jwt] } });
    const jwt = (vc.credentialResponse.credentials?.[0] as { credential: string }).credential;
    const tenants = (await (await fetch(`${services.url}/issuers`)).json()) as { id: string; did: string }[];
    expect(payloadOf(jwt)).toMatchObject({ sub: holderDid.did, iss: tenants.find((t) => t.id === "snu")?.did });
  });

  it("DPoP (RFC 9449): the library wallet's DPoP-bound token works only with proofs of its key", async () => {
    const offer = await createOffer({ formats: ["dc+sd-jwt"], copies: 1 });
    const credentialOffer = await holder.resolveCredentialOffer(offer.offerUri);
    const issuerMetadata = await holder.resolveIssuerMetadata(credentialOffer.credential_issuer);
    expect(issuerMetadata.authorizationServers[0]?.dpop_signing_alg_values_supported).toEqual(["ES256"]);
    const dpopKey = p256Key();
    const signer = { method: "jwk" as const, alg: "ES256", publicJwk: dpopKey };
    const { accessTokenResponse } = await holder.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: offer.txCode, dpop: { signer } });
    expect(accessTokenResponse.token_type).toBe("DPoP");
    const configId = "StudentIDCredential.dc+sd-jwt";
    const proofFor = async () => {
      const { c_nonce } = await holder.requestNonce({ issuerMetadata });
      return (await holder.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId: configId, nonce: c_nonce, signer: { method: "jwk", alg: "ES256", publicJwk: p256Key() } })).jwt;
    };
    // As a Bearer token: refused.
    expect(await oauthError(await credential(accessTokenResponse.access_token, { credential_configuration_id: configId, proofs: { jwt: [await proofFor()] } }))).toEqual({ status: 401, error: "invalid_token" });
    // With a DPoP proof of another key, or a replayed proof of the right key: refused.
    const dpopFetch = async (proofJwt: string) =>
      fetch(`${issuerUrl}/credential`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `DPoP ${accessTokenResponse.access_token}`, dpop: proofJwt },
        body: JSON.stringify({ credential_configuration_id: configId, proofs: { jwt: [await proofFor()] } }),
      });
    expect(await oauthError(await dpopFetch(dpopProof(p256Key(), `${issuerUrl}/credential`, accessTokenResponse.access_token)))).toEqual({ status: 401, error: "invalid_dpop_proof" });
    expect(await oauthError(await dpopFetch(dpopProof(dpopKey, `${issuerUrl}/token`, accessTokenResponse.access_token)))).toEqual({ status: 401, error: "invalid_dpop_proof" });
    expect(await oauthError(await dpopFetch(dpopProof(dpopKey, `${issuerUrl}/credential`, "another-token")))).toEqual({ status: 401, error: "invalid_dpop_proof" });
    const once = dpopProof(dpopKey, `${issuerUrl}/credential`, accessTokenResponse.access_token);
    expect((await dpopFetch(once)).status).toBe(200);
    expect(await oauthError(await dpopFetch(once))).toEqual({ status: 401, error: "invalid_dpop_proof" });
    const { credentialResponse } = await holder.retrieveCredentials({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      credentialConfigurationId: configId,
      proofs: { jwt: [await proofFor()] },
      dpop: { signer },
    });
    expect(credentialResponse.credentials).toHaveLength(1);
    // The refresh token is bound too: without a proof of the same key it is invalid_grant.
    const refresh = { grant_type: "refresh_token", refresh_token: accessTokenResponse.refresh_token as string };
    expect(await oauthError(await form(refresh))).toEqual({ status: 400, error: "invalid_grant" });
    const withOtherKey = await fetch(`${issuerUrl}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", dpop: dpopProof(p256Key(), `${issuerUrl}/token`) },
      body: new URLSearchParams(refresh).toString(),
    });
    expect(await oauthError(withOtherKey)).toEqual({ status: 400, error: "invalid_grant" });
    const withItsKey = await fetch(`${issuerUrl}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", dpop: dpopProof(dpopKey, `${issuerUrl}/token`) },
      body: new URLSearchParams(refresh).toString(),
    });
    expect(withItsKey.status).toBe(200);
    expect(((await withItsKey.json()) as { token_type: string }).token_type).toBe("DPoP");
  });

  it("refresh: the refresh token gets new copies of the same credential; a used refresh token is invalid_grant; revoked → credential_request_denied", async () => {
    const offer = await createOffer({ formats: ["dc+sd-jwt"], copies: 2 });
    const t1 = await tokenFor(offer.offerId, offer.txCode);
    const first = (await (await credential(t1.access_token, { credential_configuration_id: "StudentIDCredential.dc+sd-jwt", proofs: { jwt: [proof(p256Key(), { nonce: await nonce() })] } })).json()) as { credentials: { credential: string }[] };
    const firstExp = payloadOf(first.credentials[0]?.credential as string)["exp"];

    const r = await form({ grant_type: "refresh_token", refresh_token: t1.refresh_token });
    expect(r.status).toBe(200);
    const t2 = (await r.json()) as { access_token: string; refresh_token: string };
    expect(t2.refresh_token).not.toBe(t1.refresh_token);
    expect(await oauthError(await form({ grant_type: "refresh_token", refresh_token: t1.refresh_token }))).toEqual({ status: 400, error: "invalid_grant" });
    const again = await credential(t2.access_token, { credential_configuration_id: "StudentIDCredential.dc+sd-jwt", proofs: { jwt: [proof(p256Key(), { nonce: await nonce() }), proof(p256Key(), { nonce: await nonce().then(() => "x") })] } });
    // two proofs with different nonces are one request's mistake
    expect(await oauthError(again)).toEqual({ status: 400, error: "invalid_proof" });
    const n = await nonce();
    const ok = await credential(t2.access_token, { credential_configuration_id: "StudentIDCredential.dc+sd-jwt", proofs: { jwt: [proof(p256Key(), { nonce: n }), proof(p256Key(), { nonce: n })] } });
    expect(ok.status).toBe(200);
    const refreshed = (await ok.json()) as { credentials: { credential: string }[] };
    expect(refreshed.credentials).toHaveLength(2);
    expect(payloadOf(refreshed.credentials[0]?.credential as string)["exp"]).toBe(firstExp);

    // Revoke the credential (all copies, by the id the agency sees in its records): no more copies.
    // The agency learns the credential's id from its offer (what revocation takes): the same as its records hold.
    const status = (await (await fetch(`${issuerUrl}/openid4vci/offers/${offer.offerId}/status`, { headers: { authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` } })).json()) as {
      state: string;
      credentials: Record<string, { id: string }>;
    };
    expect(status.state).toBe("issued");
    const id = status.credentials["dc+sd-jwt"]?.id as string;
    expect(await findGroupId(first.credentials[0]?.credential as string)).toBe(id);
    const rev = await fetch(`${services.url}/issuers/snu/credentials/status`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` },
      body: JSON.stringify({ action: "revoke", ids: [id], reason: "DEVICE_LOST" }),
    });
    expect(rev.status).toBe(200);
    const denied = await credential(t2.access_token, { credential_configuration_id: "StudentIDCredential.dc+sd-jwt", proofs: { jwt: [proof(p256Key(), { nonce: await nonce() })] } });
    expect(await oauthError(denied)).toEqual({ status: 400, error: "credential_request_denied" });
  });

  /** The credential's id (the copies' group): the agency's records list each copy under its holder key's thumbprint. */
  const findGroupId = async (copy: string): Promise<string> => {
    const cnf = payloadOf(copy.split("~")[0] as string)["cnf"] as { jwk: { kty: "EC"; crv: "P-256"; x: string; y: string } };
    const page = (await (
      await fetch(`${services.url}/issuers/snu/credentials?holder=${encodeURIComponent(jwkThumbprintUri(cnf.jwk))}`, { headers: { authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` } })
    ).json()) as { items: { id: string }[] };
    const row = page.items[0];
    if (row === undefined) throw new Error("no record of the copy");
    return row.id.replace(/\.[0-9]+$/, "");
  };

  it("pre-authorized codes: wrong tx_code, lock after 5 (the offer is gone), unknown codes are invalid_grant", async () => {
    const offer = await createOffer();
    const code = await preAuthorizedCodeOf(offer.offerId);
    const wrong = offer.txCode === "000000" ? "111111" : "000000";
    const grant = (tx: string, c = code) => form({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": c, tx_code: tx });
    for (let i = 0; i < 4; i++) expect(await oauthError(await grant(wrong))).toEqual({ status: 400, error: "invalid_grant" });
    expect(await oauthError(await grant(wrong))).toEqual({ status: 400, error: "invalid_grant" }); // the 5th locks
    expect(await oauthError(await grant(offer.txCode))).toEqual({ status: 400, error: "invalid_grant" }); // locked: the right code no longer helps
    expect((await fetch(`${issuerUrl}/openid4vci/offers/${offer.offerId}`)).status).toBe(400);

    expect(await oauthError(await grant("123456", "no-such-code"))).toEqual({ status: 400, error: "invalid_grant" });
    expect(await oauthError(await form({ grant_type: "password", username: "a" }))).toEqual({ status: 400, error: "unsupported_grant_type" });
  });

  it("offer creation: the agency's key is required, the claims are checked against both formats' schemas, unaccredited types are refused", async () => {
    const body = JSON.stringify({ credentialType: "StudentIDCredential", reference: "2026-1", claims });
    expect((await fetch(`${issuerUrl}/openid4vci/offers`, { method: "POST", headers: { "content-type": "application/json" }, body })).status).toBe(401);
    const post = (b: Record<string, unknown>) =>
      fetch(`${issuerUrl}/openid4vci/offers`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` },
        body: JSON.stringify({ credentialType: "StudentIDCredential", reference: "2026-1", claims, ...b }),
      });
    const bad = await post({ claims: { ...claims, enrollmentStatus: "graduated-long-ago" } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("CLAIMS_INVALID");
    const extra = await post({ formats: ["dc+sd-jwt"], claims: { ...claims, age_equal_or_over: { "19": true } } });
    expect(extra.status).toBe(422);
    const licence = await post({ credentialType: "DriversLicenseCredential" });
    expect(licence.status).toBe(400); // snu is accredited for student IDs only
    const meta = (await (await fetch(`${services.url}/.well-known/openid-credential-issuer/issuers/snu`)).json()) as { credential_configurations_supported: Record<string, unknown> };
    expect(Object.keys(meta.credential_configurations_supported).sort()).toEqual(["StudentIDCredential.dc+sd-jwt", "StudentIDCredential.jwt_vc_json"]);
  });

  it("jwt_vc_json proofs: a kid naming another DID's key, an address-form DID, or a P-256 jwk are invalid_proof", async () => {
    const offer = await createOffer({ formats: ["jwt_vc_json"] });
    const { access_token } = await tokenFor(offer.offerId, offer.txCode);
    const config = { credential_configuration_id: "StudentIDCredential.jwt_vc_json" };
    const me = didKey(services.descriptor.chainId);
    const other = didKey(services.descriptor.chainId);
    const didProof = (kid: string, signWith: string, extra: Record<string, unknown> = {}) =>
      signJws({ alg: "ES256K", typ: "openid4vci-proof+jwt", kid }, { aud: issuerUrl, iat: Math.floor(Date.now() / 1000), ...extra }, privateKeys.get(signWith) as KeyObject);
    const impostor = didProof(other.kid, me.kid, { nonce: await nonce() });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [impostor] } }))).toEqual({ status: 400, error: "invalid_proof" });
    const addressForm = didProof(`did:ethr:0x7a69:0x${"ab".repeat(20)}#controller`, me.kid, { nonce: await nonce() });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [addressForm] } }))).toEqual({ status: 400, error: "invalid_proof" });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [proof(p256Key(), { nonce: await nonce() })] } }))).toEqual({ status: 400, error: "invalid_proof" });
    const good = await credential(access_token, { ...config, proofs: { jwt: [didProof(me.kid, me.kid, { nonce: await nonce() })] } });
    expect(good.status).toBe(200);
    const firstJwt = ((await good.json()) as { credentials: { credential: string }[] }).credentials[0]?.credential as string;
    // The same grant again: a new copy with the first one's expiry, while the first is in force.
    const again = await credential(access_token, { ...config, proofs: { jwt: [didProof(me.kid, me.kid, { nonce: await nonce() })] } });
    expect(again.status).toBe(200);
    const secondJwt = ((await again.json()) as { credentials: { credential: string }[] }).credentials[0]?.credential as string;
    expect(payloadOf(secondJwt)["exp"]).toBe(payloadOf(firstJwt)["exp"]);
    expect(payloadOf(secondJwt)["jti"]).not.toBe(payloadOf(firstJwt)["jti"]);
    const agency = { authorization: `Bearer ${services.apiKeys["snu"] ?? ""}` };
    const status = (await (await fetch(`${issuerUrl}/openid4vci/offers/${offer.offerId}/status`, { headers: agency })).json()) as {
      credentials: Record<string, { id: string; ids: string[] }>;
    };
    expect(status.credentials["jwt_vc_json"]?.id).toBe(payloadOf(firstJwt)["jti"]);
    expect(status.credentials["jwt_vc_json"]?.ids).toEqual([payloadOf(firstJwt)["jti"], payloadOf(secondJwt)["jti"]]);
    const rev = await fetch(`${services.url}/issuers/snu/credentials/status`, {
      method: "POST",
      headers: { ...agency, "content-type": "application/json" },
      body: JSON.stringify({ action: "revoke", ids: [status.credentials["jwt_vc_json"]?.id], reason: "DEVICE_LOST" }),
    });
    expect(rev.status).toBe(200);
    const denied = await credential(access_token, { ...config, proofs: { jwt: [didProof(me.kid, me.kid, { nonce: await nonce() })] } });
    expect(await oauthError(denied)).toEqual({ status: 400, error: "credential_request_denied" });
  });

  it("a replayed pre-authorized code is invalid_grant", async () => {
    const offer = await createOffer();
    const code = await preAuthorizedCodeOf(offer.offerId);
    const body = { grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code, tx_code: offer.txCode };
    expect((await form(body)).status).toBe(200);
    const r = await form(body);
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: "invalid_grant", error_details: { reason: "redeemed" } });
  });

  it("proofs: replayed or unknown nonce → invalid_nonce; other audience, bad signature, stale iat, wrong alg → invalid_proof; no token → invalid_token", async () => {
    const offer = await createOffer({ formats: ["dc+sd-jwt"] });
    const { access_token } = await tokenFor(offer.offerId, offer.txCode);
    const config = { credential_configuration_id: "StudentIDCredential.dc+sd-jwt" };
    const n = await nonce();
    expect((await credential(access_token, { ...config, proofs: { jwt: [proof(p256Key(), { nonce: n })] } })).status).toBe(200);
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [proof(p256Key(), { nonce: n })] } }))).toEqual({ status: 400, error: "invalid_nonce" });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [proof(p256Key(), { nonce: "never-issued-nonce" })] } }))).toEqual({ status: 400, error: "invalid_nonce" });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [proof(p256Key(), { nonce: await nonce(), aud: "https://other.example/issuers/snu" })] } }))).toEqual({ status: 400, error: "invalid_proof" });
    const [a, b] = [p256Key(), p256Key()];
    const forged = proof(a, { nonce: await nonce() }, { jwk: b }); // signed by a, claims b
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [forged] } }))).toEqual({ status: 400, error: "invalid_proof" });
    const stale = proof(p256Key(), { nonce: await nonce(), iat: Math.floor(Date.now() / 1000) - 3600 });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [stale] } }))).toEqual({ status: 400, error: "invalid_proof" });
    const untyped = proof(p256Key(), { nonce: await nonce() }, { typ: "JWT" });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [untyped] } }))).toEqual({ status: 400, error: "invalid_proof" });
    const k256 = proof(p256Key(), { nonce: await nonce() }, { alg: "ES256K" });
    expect(await oauthError(await credential(access_token, { ...config, proofs: { jwt: [k256] } }))).toEqual({ status: 400, error: "invalid_proof" });
    expect(await oauthError(await credential(access_token, config))).toEqual({ status: 400, error: "invalid_proof" });
    expect(await oauthError(await credential(access_token, { credential_configuration_id: "StudentIDCredential.jwt_vc_json", proofs: { jwt: [proof(p256Key(), { nonce: await nonce() })] } }))).toEqual({
      status: 400,
      error: "unknown_credential_configuration",
    });
    expect(await oauthError(await credential(access_token, { credential_configuration_id: "NoSuch.dc+sd-jwt" }))).toEqual({ status: 400, error: "unknown_credential_configuration" });
    const noToken = await credential("A".repeat(43), { ...config, proofs: { jwt: [proof(p256Key(), { nonce: await nonce() })] } });
    expect(await oauthError(noToken)).toEqual({ status: 401, error: "invalid_token" });
    const malformed = await fetch(`${issuerUrl}/credential`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${access_token}` }, body: "[1]" });
    expect((await oauthError(malformed)).status).toBe(400);
  });
});
