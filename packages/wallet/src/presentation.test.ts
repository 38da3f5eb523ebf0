import { beforeAll, describe, expect, it } from "vitest";
import { ES256KSigner } from "did-jwt";
import { createVerifiablePresentationJwt, verifyPresentation } from "did-jwt-vc";
import { getBytes } from "ethers";
import { parseCompactJws, parseEthrDid, parseJwtVp, settableClock } from "@mobile-id/core";
import { createPresentation } from "./createPresentation.ts";
import { createWallet } from "./createWallet.ts";
import { importCredential } from "./importCredential.ts";
import { preparePresentation } from "./preparePresentation.ts";
import { removeCredential } from "./removeCredential.ts";
import { type Wallet, readWallet } from "./session.ts";
import { currentKey } from "./state.ts";
import { memoryWalletStorage } from "./storage.ts";
import { CHAIN_ID, PASSPHRASE, T0, TEST_KDF_COST, TEST_KDF_FLOOR, acceptingVerifier, issueCredential, presentationRequest } from "./testing.ts";

/** A DID document with the key the public-key DID names (what ethr-did-resolver returns before any rotation). */
type Resolvable = Parameters<typeof verifyPresentation>[1];

function resolverFor(did: string): Resolvable {
  const publicKeyHex = parseEthrDid(did)!.publicKey!.slice(2);
  return {
    resolve: (d: string) =>
      Promise.resolve({
        didResolutionMetadata: {},
        didDocumentMetadata: {},
        didDocument:
          d.split("#")[0] === did
            ? {
                id: did,
                verificationMethod: [{ id: `${did}#controllerKey`, type: "EcdsaSecp256k1VerificationKey2019", controller: did, publicKeyHex }],
                authentication: [`${did}#controllerKey`],
                assertionMethod: [`${did}#controllerKey`],
              }
            : null,
      }),
  };
}

describe("presentations", () => {
  const clock = settableClock(T0);
  let wallet: Wallet;
  const ids: Record<string, string> = {};
  const jwts: Record<string, string> = {};
  beforeAll(async () => {
    wallet = await createWallet({ storage: memoryWalletStorage(), passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
    const add = async (name: string, type: string, over: { nbf?: number; exp?: number } = {}) => {
      jwts[name] = await issueCredential({ subject: wallet.did, type, ...over });
      ids[name] = (await importCredential({ wallet, jwt: jwts[name], verifyCredential: acceptingVerifier() })).credential.id;
    };
    await add("student", "StudentIDCredential");
    await add("studentOld", "StudentIDCredential", { nbf: T0 - 400 * 86_400 });
    await add("license", "DriversLicenseCredential");
    await add("residentSoon", "ResidentIDCredential", { exp: T0 + 60 });
    clock.set(T0 + 60); // the resident ID has now expired
  });

  it("previews only valid credentials of the requested types, newest first", async () => {
    const request = presentationRequest({ credentialTypes: ["StudentIDCredential", "ResidentIDCredential"], expiresAt: T0 + 600 });
    const preview = await preparePresentation({ wallet, request });
    expect(preview.domain).toBe("library.snu.ac.kr");
    expect(preview.items.map((i) => i.type)).toEqual(["StudentIDCredential"]);
    expect(preview.items[0]!.candidates.map((c) => c.id)).toEqual([ids["student"], ids["studentOld"]]);
    expect(preview.items[0]!.candidates[0]!.claims).toMatchObject({ studentNumber: "2026-12345" });
    expect(preview.missingTypes).toEqual(["ResidentIDCredential"]);
    expect(preview.defaultSelection).toEqual([ids["student"]]);
  });

  it("self-signs a VP with aud = domain, nonce = challenge, iss = the holder DID, holding only the consented credential", async () => {
    const request = presentationRequest({ expiresAt: T0 + 10_000 });
    const preview = await preparePresentation({ wallet, request });
    const { jwt, expiresAt } = await createPresentation({ wallet, request, credentialIds: preview.defaultSelection });
    const parsed = parseCompactJws(jwt, { maxBytes: 65_536 });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.jws.header).toEqual({ alg: "ES256K", typ: "JWT", kid: `${wallet.did}#controller` });
    const p = parsed.jws.payload;
    expect(p["iss"]).toBe(wallet.did);
    expect(p["aud"]).toBe("library.snu.ac.kr");
    expect(p["nonce"]).toBe(request["challenge"]);
    expect(p["nbf"]).toBe(T0 + 60);
    expect(p["exp"]).toBe(T0 + 60 + 300);
    expect(expiresAt).toBe(T0 + 360);
    expect(p["iat"]).toBeUndefined();
    expect(p["jti"]).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(p["vp"]).toEqual({
      "@context": ["https://www.w3.org/2018/credentials/v1"],
      type: ["VerifiablePresentation"],
      verifiableCredential: [jwts["student"]],
    });
    // The shared strict VP parser (what verifiers run first) accepts it.
    const strict = parseJwtVp(jwt, { chainId: 31337n, maxBytes: 65_536, maxCredentials: 8 });
    expect(strict.ok && strict.value.audience).toBe("library.snu.ac.kr");
    // Every embedded credential names the presenter as its subject.
    const vc = parseCompactJws(jwts["student"], { maxBytes: 65_536 });
    expect(vc.ok && vc.jws.payload["sub"]).toBe(p["iss"]);

    // did-jwt-vc verifies signature, challenge and domain (with the verifier's clock in the window).
    const verified = await verifyPresentation(jwt, resolverFor(wallet.did), {
      challenge: request["challenge"] as string,
      domain: "library.snu.ac.kr",
      policies: { now: T0 + 100 },
    });
    expect(verified.verified).toBe(true);
    await expect(
      verifyPresentation(jwt, resolverFor(wallet.did), { challenge: "another", domain: "library.snu.ac.kr", policies: { now: T0 + 100 } }),
    ).rejects.toThrow();
    await expect(
      verifyPresentation(jwt, resolverFor(wallet.did), { challenge: request["challenge"] as string, domain: "evil.example", policies: { now: T0 + 100 } }),
    ).rejects.toThrow();
  });

  it("signs through the JWT-VP format module the bytes did-jwt-vc wrote before for the same presentation", async () => {
    const request = presentationRequest({ expiresAt: T0 + 10_000 });
    const { jwt } = await createPresentation({ wallet, request, credentialIds: [ids["student"]!] });
    const r = parseCompactJws(jwt, { maxBytes: 65_536 });
    if (!r.ok) throw new Error(r.message);
    const p = r.jws.payload;
    // What createPresentation did through did-jwt-vc before issue 9 (ES256K is deterministic: same key, same bytes).
    const key = currentKey(readWallet(wallet).state).privateKey;
    const theirs = await createVerifiablePresentationJwt(
      {
        aud: request["domain"] as string,
        nbf: p["nbf"] as number,
        exp: p["exp"] as number,
        jti: p["jti"] as string,
        vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [jwts["student"]!] },
      },
      { did: wallet.did, signer: ES256KSigner(getBytes(key)), alg: "ES256K" },
      { challenge: request["challenge"] as string, header: { alg: "ES256K", kid: `${wallet.did}#controller` } },
    );
    expect(jwt).toBe(theirs);
  });

  it("never lets the VP outlive the request", async () => {
    const request = presentationRequest({ expiresAt: T0 + 100 });
    const { expiresAt, jwt } = await createPresentation({ wallet, request, credentialIds: [ids["student"]!] });
    expect(expiresAt).toBe(T0 + 100);
    const r = parseCompactJws(jwt, { maxBytes: 65_536 });
    expect(r.ok && r.jws.payload["exp"]).toBe(T0 + 100);
  });

  it("refuses consent outside the request: other types, expired, two of one type, none, unknown ids", async () => {
    const request = presentationRequest({ credentialTypes: ["StudentIDCredential", "ResidentIDCredential"] });
    const attempt = (credentialIds: string[]) => createPresentation({ wallet, request, credentialIds });
    await expect(attempt([ids["license"]!])).rejects.toMatchObject({ code: "CONSENT_INVALID" });
    await expect(attempt([ids["student"]!, ids["license"]!])).rejects.toMatchObject({ code: "CONSENT_INVALID" });
    await expect(attempt([ids["residentSoon"]!])).rejects.toMatchObject({ code: "CONSENT_INVALID" });
    await expect(attempt([ids["student"]!, ids["studentOld"]!])).rejects.toMatchObject({ code: "CONSENT_INVALID" });
    await expect(attempt([])).rejects.toMatchObject({ code: "CONSENT_INVALID" });
    await expect(attempt(["0".repeat(64)])).rejects.toMatchObject({ code: "WALLET_CREDENTIAL_NOT_FOUND" });
  });

  it("refuses expired and malformed requests, and requests it holds nothing for", async () => {
    await expect(preparePresentation({ wallet, request: presentationRequest({ expiresAt: T0 + 60 }) })).rejects.toMatchObject({ code: "REQUEST_EXPIRED" });
    await expect(createPresentation({ wallet, request: presentationRequest({ expiresAt: T0 }), credentialIds: [ids["student"]!] })).rejects.toMatchObject({
      code: "REQUEST_EXPIRED",
    });
    await expect(preparePresentation({ wallet, request: { ...presentationRequest(), challenge: "short" } })).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    await expect(preparePresentation({ wallet, request: presentationRequest({ credentialTypes: ["ResidentIDCredential"] }) })).rejects.toMatchObject({
      code: "NO_MATCHING_CREDENTIAL",
    });
  });

  it("re-checks at signing time: a credential removed after the preview is not presented", async () => {
    const request = presentationRequest({ credentialTypes: ["DriversLicenseCredential"] });
    const preview = await preparePresentation({ wallet, request });
    await removeCredential({ wallet, id: ids["license"]! });
    await expect(createPresentation({ wallet, request, credentialIds: preview.defaultSelection })).rejects.toMatchObject({ code: "WALLET_CREDENTIAL_NOT_FOUND" });
  });
});
