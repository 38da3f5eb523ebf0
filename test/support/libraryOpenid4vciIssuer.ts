/**
 * An OpenID4VCI issuer made with `@openid4vc/openid4vci`'s `Openid4vciIssuer` and `@openid4vc/oauth2`'s
 * `Oauth2AuthorizationServer` only (pre-authorized code + tx_code, nonce endpoint, `proofs.jwt`, batch, refresh
 * tokens), as a fetch handler; the credential itself is signed with core's SD-JWT VC issuer (or an injected JWT-VC
 * signer). Test support for the wallet's interoperability tests.
 */
import { createHash, randomInt } from "node:crypto";
import { getBytes, recoverAddress } from "ethers";
import { Oauth2AuthorizationServer, type JwtSigner, clientAuthenticationNone, preAuthorizedCodeGrantIdentifier } from "@openid4vc/oauth2";
import { type IssuerMetadataResult, Openid4vciIssuer, Openid4vciVersion } from "@openid4vc/openid4vci";
import { encodeBase64url, parseEthrDid } from "@mobile-id/core";
import { createP256Signer, createSecp256k1Signer, issueSdJwtVc, nobleEs256Verify } from "@mobile-id/core/sd-jwt-vc";

const enc = new TextEncoder();
const b64json = (o: unknown) => encodeBase64url(enc.encode(JSON.stringify(o)));
const sha256 = (data: Uint8Array) => new Uint8Array(createHash("sha256").update(data).digest());
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const RESIDENT = { familyName: "홍", givenName: "길동", birthDate: "1990-01-01", residentRegistrationNumber: "900101-1234567", address: "서울 종로구 세종대로 1", issueDate: "2020-05-01" };

/** The issuer's on-ledger identity: its DID, key, type and status list pair. */
export interface LibraryIssuerIdentity {
  readonly did: string;
  readonly typeName: string;
  readonly wallet: { readonly privateKey: string };
  readonly revocationListId: bigint;
  readonly suspensionListId: bigint;
}

export interface LibraryIssuerKit {
  /** The issuer's clock (seconds). */
  now(): number;
  /** Signs a JWT-VC of the issuer's type for a holder DID (jwt_vc_json offers only). */
  readonly issueJwtVc?: (issuer: LibraryIssuerIdentity, holderDid: string) => string;
}

/** An OpenID4VCI issuer made with the library's issuer side only (plus our SD-JWT VC signer for the credential itself). */
export function libraryIssuer(
  kit: LibraryIssuerKit,
  issuer: LibraryIssuerIdentity,
  origin: string,
  options: {
    issuerDid?: string;
    format?: "dc+sd-jwt" | "jwt_vc_json";
    /** Binds only the first N proof keys (as an agency offer of N copies does). */
    maxCopies?: number;
    /** The status claim's URI (its path names the list pair). Default: the dev services' status endpoint. */
    statusUri?: string;
    /** The status entry of each copy. Default: consecutive entries from a random start below 2^16 (never one twice). */
    statusIndex?: () => number;
    /**
     * The metadata's `signed_metadata`: signed by this key (default the issuer's) as the metadata's DID, `false` to
     * serve none, or a given JWT as is (a copy of another issuer's).
     */
    signedMetadata?: { readonly privateKey: string } | false | string;
  } = {},
) {
  const format = options.format ?? "dc+sd-jwt";
  let nextEntry = randomInt(0, (1 << 16) - 4096);
  const configurationId = `${issuer.typeName}.${format}`;
  const ci = `${origin}/issuers/resident`;
  const asKey = createP256Signer(crypto.getRandomValues(new Uint8Array(32)));
  const callbacks = {
    hash: (data: Uint8Array) => sha256(data),
    generateRandom: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
    clientAuthentication: clientAuthenticationNone({ clientId: "wallet" }),
    signJwt: async (_signer: JwtSigner, jwt: { header: Record<string, unknown>; payload: Record<string, unknown> }) => {
      const input = `${b64json(jwt.header)}.${b64json(jwt.payload)}`;
      return { jwt: `${input}.${encodeBase64url(await asKey.sign(enc.encode(input)))}`, signerJwk: { ...asKey.publicJwk } };
    },
    verifyJwt: async (signer: JwtSigner, jwt: { compact: string }) => {
      if (signer.method === "did") {
        // A JWT-VC proof: ES256K by the holder's public-key did:ethr (the key's address is the DID's).
        const [h, p, s] = jwt.compact.split(".");
        const sig = Buffer.from(s as string, "base64url");
        const digest = sha256(enc.encode(`${h}.${p}`));
        const did = parseEthrDid(signer.didUrl.split("#")[0] as string);
        const ok = [27, 28].some((v) => {
          try {
            return recoverAddress(digest, { r: `0x${sig.subarray(0, 32).toString("hex")}`, s: `0x${sig.subarray(32).toString("hex")}`, v }) === did?.address;
          } catch {
            return false;
          }
        });
        return ok ? { verified: true as const, signerJwk: { kty: "EC", crv: "secp256k1" } } : { verified: false as const };
      }
      if (signer.method !== "jwk") return { verified: false as const };
      const [h, p, s] = jwt.compact.split(".");
      const ok = await nobleEs256Verify(enc.encode(`${h}.${p}`), Buffer.from(s as string, "base64url"), signer.publicJwk as never);
      return ok ? { verified: true as const, signerJwk: signer.publicJwk } : { verified: false as const };
    },
  };
  const vci = new Openid4vciIssuer({ callbacks: callbacks as never });
  const as = new Oauth2AuthorizationServer({ callbacks: callbacks as never });
  const credentialIssuer = vci.createCredentialIssuerMetadata({
    credential_issuer: ci,
    credential_endpoint: `${ci}/credential`,
    nonce_endpoint: `${ci}/nonce`,
    batch_credential_issuance: { batch_size: 10 },
    display: [{ name: "행정안전부 주민등록", locale: "ko-KR" }, { name: "Ministry of the Interior", locale: "en-US" }],
    issuer_did: options.issuerDid ?? issuer.did,
    credential_configurations_supported: {
      [configurationId]:
        format === "dc+sd-jwt"
          ? {
              format: "dc+sd-jwt",
              vct: `urn:mobile-id:vct:${issuer.typeName}:1`,
              cryptographic_binding_methods_supported: ["jwk"],
              credential_signing_alg_values_supported: ["ES256K"],
              proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256"] } },
            }
          : {
              format: "jwt_vc_json",
              credential_definition: { type: ["VerifiableCredential", issuer.typeName] },
              cryptographic_binding_methods_supported: ["did:ethr"],
              credential_signing_alg_values_supported: ["ES256K"],
              proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["ES256K"] } },
            },
    },
  } as never);
  // signed_metadata (OpenID4VCI 1.0 §12.2.3): the metadata signed by the DID it names, for this URL.
  const metadataDid = options.issuerDid ?? issuer.did;
  let signedMetadata: Promise<string | undefined> | undefined;
  const signMetadata = (): Promise<string | undefined> =>
    (signedMetadata ??= (async () => {
      if (options.signedMetadata === false) return undefined;
      if (typeof options.signedMetadata === "string") return options.signedMetadata;
      const key = createSecp256k1Signer(getBytes((options.signedMetadata ?? issuer.wallet).privateKey), `${metadataDid}#controller`);
      const iat = kit.now();
      const input = `${b64json({ alg: "ES256K", typ: "openidvci-issuer-metadata+jwt", kid: key.kid })}.${b64json({ ...credentialIssuer, iss: metadataDid, sub: ci, iat, exp: iat + 3600 })}`;
      return `${input}.${encodeBase64url(await key.sign(enc.encode(input)))}`;
    })());
  const authorizationServer = as.createAuthorizationServerMetadata({ issuer: ci, token_endpoint: `${ci}/token`, "pre-authorized_grant_anonymous_access_supported": true } as never);
  const issuerMetadata = {
    originalDraftVersion: Openid4vciVersion.V1,
    credentialIssuer,
    authorizationServers: [authorizationServer],
    knownCredentialConfigurations: vci.getKnownCredentialConfigurationsSupported(credentialIssuer),
  } as IssuerMetadataResult;
  const offers = new Map<string, { code: string; txCode: string; redeemed: boolean; object: unknown }>();
  const tokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const refusing = { value: false };
  const tokenResponse = async () => {
    const response = (await as.createAccessTokenResponse({
      authorizationServer: ci,
      audience: ci,
      subject: "holder",
      expiresInSeconds: 300,
      signer: { method: "jwk", alg: "ES256", publicJwk: { ...asKey.publicJwk } },
      refreshToken: true,
    } as never)) as { access_token: string; refresh_token?: string };
    tokens.add(response.access_token);
    if (response.refresh_token !== undefined) refreshTokens.add(response.refresh_token);
    return response;
  };
  const nonces = new Map<string, number>();
  let nextOffer = 0;
  const handle = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname === "/.well-known/openid-credential-issuer/issuers/resident") {
      const signed = await signMetadata();
      return json(signed === undefined ? credentialIssuer : { ...credentialIssuer, signed_metadata: signed });
    }
    if (url.pathname === "/.well-known/oauth-authorization-server/issuers/resident") return json(authorizationServer);
    const offer = /^\/issuers\/resident\/openid4vci\/offers\/(\d+)$/.exec(url.pathname);
    if (offer !== null) return offers.has(offer[1] as string) ? json(offers.get(offer[1] as string)?.object) : json({ error: "invalid_request" }, 404);
    if (url.pathname === "/issuers/resident/token") {
      const form = Object.fromEntries(new URLSearchParams(await req.text()));
      const parsed = as.parseAccessTokenRequest({ accessTokenRequest: form, request: { method: "POST", url: req.url, headers: req.headers } as never });
      const grant = parsed.grant as { grantType: string; preAuthorizedCode?: string; txCode?: string; refreshToken?: string };
      if (grant.grantType === "refresh_token") {
        // "The same grant while the credential is in force": this issuer stops refreshing once told so.
        if (refusing.value || grant.refreshToken === undefined || !refreshTokens.delete(grant.refreshToken)) return json({ error: "invalid_grant" }, 400);
        await as.verifyRefreshTokenAccessTokenRequest({
          grant: parsed.grant as never,
          accessTokenRequest: parsed.accessTokenRequest,
          request: { method: "POST", url: req.url, headers: req.headers } as never,
          expectedRefreshToken: grant.refreshToken,
          authorizationServerMetadata: authorizationServer,
        });
        return json(await tokenResponse());
      }
      const entry = [...offers.values()].find((o) => o.code === grant.preAuthorizedCode);
      if (entry === undefined || entry.redeemed || grant.txCode !== entry.txCode) return json({ error: "invalid_grant" }, 400);
      await as.verifyPreAuthorizedCodeAccessTokenRequest({
        grant: parsed.grant as never,
        accessTokenRequest: parsed.accessTokenRequest,
        request: { method: "POST", url: req.url, headers: req.headers } as never,
        expectedPreAuthorizedCode: entry.code,
        expectedTxCode: entry.txCode,
        authorizationServerMetadata: authorizationServer,
      });
      entry.redeemed = true;
      return json(await tokenResponse());
    }
    if (url.pathname === "/issuers/resident/nonce") {
      const cNonce = encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
      nonces.set(cNonce, kit.now() + 60);
      return json(vci.createNonceResponse({ cNonce, cNonceExpiresIn: 60 }));
    }
    if (url.pathname === "/issuers/resident/credential") {
      const token = (req.headers.get("authorization") ?? "").replace(/^(Bearer|DPoP) /, "");
      if (!tokens.has(token)) return json({ error: "invalid_token" }, 401);
      const parsed = vci.parseCredentialRequest({ issuerMetadata, credentialRequest: (await req.json()) as Record<string, unknown> });
      const jwts = (parsed.proofs as { jwt?: string[] } | undefined)?.jwt ?? [];
      const holderKeys = [];
      const holderDids: string[] = [];
      for (const jwt of jwts) {
        const nonce = JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()).nonce as string;
        const expiresAt = nonces.get(nonce);
        if (expiresAt === undefined) return json({ error: "invalid_nonce" }, 400);
        const verified = await vci.verifyCredentialRequestJwtProof({ issuerMetadata, jwt, expectedNonce: nonce, nonceExpiresAt: new Date(expiresAt * 1000), now: new Date(kit.now() * 1000) });
        if (verified.signer.method === "did") holderDids.push(verified.signer.didUrl.split("#")[0] as string);
        else holderKeys.push(verified.signer.publicJwk);
      }
      for (const jwt of jwts) nonces.delete(JSON.parse(Buffer.from(jwt.split(".")[1] as string, "base64url").toString()).nonce as string);
      if (format === "jwt_vc_json") {
        if (holderDids.length !== 1) return json({ error: "invalid_proof" }, 400);
        if (kit.issueJwtVc === undefined) return json({ error: "unsupported_credential_format" }, 400);
        const jwt = kit.issueJwtVc(issuer, holderDids[0] as string);
        return json(vci.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential: jwt }] }));
      }
      const { copies } = await issueSdJwtVc({
        issuer: issuer.did,
        signer: createSecp256k1Signer(getBytes(issuer.wallet.privateKey), `${issuer.did}#controller`),
        typeName: issuer.typeName,
        claims: RESIDENT,
        copies: holderKeys.slice(0, options.maxCopies ?? holderKeys.length).map((k) => ({ holderKey: k as never, status: { idx: options.statusIndex?.() ?? nextEntry++, uri: options.statusUri ?? `http://127.0.0.1:8080/status-lists/${issuer.revocationListId}/${issuer.suspensionListId}` } })),
        issuedAt: kit.now(),
        validUntil: kit.now() + 365 * 86400,
        timeGranularitySeconds: 1,
      });
      return json(vci.createCredentialResponse({ credentialRequest: parsed, credentials: copies.map((credential) => ({ credential })) }));
    }
    return json({ error: "not_found" }, 404);
  };
  return {
    origin,
    handle,
    /** The `signed_metadata` this issuer serves (for a test that copies it elsewhere). */
    signedMetadata: signMetadata,
    refusing,
    async createOffer(): Promise<{ offerUri: string; txCode: string }> {
      const id = String(nextOffer++);
      const code = encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
      const txCode = String(randomInt(0, 1_000_000)).padStart(6, "0");
      const { credentialOffer, credentialOfferObject } = await vci.createCredentialOffer({
        issuerMetadata,
        credentialConfigurationIds: [configurationId],
        grants: { [preAuthorizedCodeGrantIdentifier]: { "pre-authorized_code": code, tx_code: { input_mode: "numeric", length: 6 } } },
        credentialOfferUri: `${ci}/openid4vci/offers/${id}`,
      } as never);
      offers.set(id, { code, txCode, redeemed: false, object: credentialOfferObject });
      return { offerUri: credentialOffer, txCode };
    },
  };
}

