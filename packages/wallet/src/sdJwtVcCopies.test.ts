import { describe, expect, it } from "vitest";
import { settableClock } from "@mobile-id/core";
import {
  createP256Signer,
  createSecp256k1Signer,
  es256kPublicKeyVerifier,
  issueSdJwtVc,
  type P256PublicJwk,
  verifySdJwtVc,
} from "@mobile-id/core/sd-jwt-vc";
import { SigningKey, getBytes } from "ethers";
import { createWallet } from "./createWallet.ts";
import { openWallet } from "./openWallet.ts";
import { createHolderKeys, importSdJwtVcCopies, listSdJwtVcs, presentSdJwtVcCopy } from "./sdJwtVcCopies.ts";
import { memoryWalletStorage } from "./storage.ts";
import { CHAIN_ID, PASSPHRASE, T0, TEST_KDF_COST, TEST_KDF_FLOOR, acceptingVerifier, presentationRequest } from "./testing.ts";

const ISSUER_KEY = crypto.getRandomValues(new Uint8Array(32));
const ISSUER_DID = `did:ethr:0x7a69:0x${"1f".repeat(20)}`;
const RESIDENT = {
  familyName: "Hong",
  givenName: "Gildong",
  birthDate: "1990-01-01",
  residentRegistrationNumber: "900101-1234567",
  address: "1 Sejong-daero, Jongno-gu, Seoul",
  issueDate: "2020-05-01",
};

async function issue(keys: readonly P256PublicJwk[]): Promise<readonly string[]> {
  const { copies } = await issueSdJwtVc({
    issuer: ISSUER_DID,
    signer: createSecp256k1Signer(ISSUER_KEY, `${ISSUER_DID}#controller`),
    typeName: "ResidentIDCredential",
    claims: RESIDENT,
    copies: keys.map((holderKey, i) => ({ holderKey, status: { idx: 100 + i, uri: "https://id.example/status-lists/1/2" } })),
    issuedAt: T0 - 60,
    validUntil: T0 + 365 * 86_400,
    timeGranularitySeconds: 1,
  });
  return copies;
}

async function setUp() {
  const storage = memoryWalletStorage();
  const clock = settableClock(T0);
  const wallet = await createWallet({ storage, passphrase: PASSPHRASE, chainId: CHAIN_ID, kdf: TEST_KDF_COST, unsafeKdfFloor: TEST_KDF_FLOOR, now: clock });
  return { wallet, storage, clock };
}

const shopRequest = (domain: string) =>
  presentationRequest({ domain, credentialTypes: ["ResidentIDCredential"], claims: [{ path: "age_equal_or_over.19" }] });

describe("SD-JWT VC copies in the wallet", () => {
  it("makes fresh P-256 holder keys, kept encrypted with the wallet (they survive reopening, are not in the file in clear)", async () => {
    const { wallet, storage } = await setUp();
    const { keys } = await createHolderKeys({ wallet, count: 3 });
    expect(keys).toHaveLength(3);
    expect(new Set(keys.map((k) => k.x)).size).toBe(3);
    for (const k of keys) expect(Object.keys(k).sort()).toEqual(["crv", "kty", "x", "y"]);
    const bytes = (await storage.read()) as Uint8Array;
    expect(new TextDecoder("latin1").decode(bytes)).not.toContain(keys[0]?.x);
    const reopened = await openWallet({ storage, passphrase: PASSPHRASE, unsafeKdfFloor: TEST_KDF_FLOOR });
    const copies = await issue(keys);
    const batch = await importSdJwtVcCopies({ wallet: reopened, copies, verifyCredential: acceptingVerifier() });
    expect(batch).toMatchObject({ type: "ResidentIDCredential", copies: 3, remaining: 3 });
  });

  it("refuses copies bound to a key it did not make, or to a key already bound (WALLET_NOT_SUBJECT), and a copy the verifier refuses", async () => {
    const { wallet } = await setUp();
    const { keys } = await createHolderKeys({ wallet, count: 2 });
    const stranger = createP256Signer(crypto.getRandomValues(new Uint8Array(32))).publicJwk;
    await expect(importSdJwtVcCopies({ wallet, copies: await issue([stranger]), verifyCredential: acceptingVerifier() })).rejects.toMatchObject({ code: "WALLET_NOT_SUBJECT" });
    await importSdJwtVcCopies({ wallet, copies: await issue([keys[0] as P256PublicJwk]), verifyCredential: acceptingVerifier() });
    await expect(importSdJwtVcCopies({ wallet, copies: await issue([keys[0] as P256PublicJwk]), verifyCredential: acceptingVerifier() })).rejects.toMatchObject({
      code: "WALLET_NOT_SUBJECT",
    });
    await expect(
      importSdJwtVcCopies({ wallet, copies: await issue([keys[1] as P256PublicJwk]), verifyCredential: () => Promise.resolve({ verified: false, code: "CREDENTIAL_REVOKED" }) }),
    ).rejects.toMatchObject({ code: "WALLET_CREDENTIAL_REJECTED", details: { verificationCode: "CREDENTIAL_REVOKED" } });
    expect((await listSdJwtVcs({ wallet })).map((b) => b.copies)).toEqual([1]);
  });

  it("lists batches with copies remaining and the resident registration number masked", async () => {
    const { wallet } = await setUp();
    const { keys } = await createHolderKeys({ wallet, count: 2 });
    await importSdJwtVcCopies({ wallet, copies: await issue(keys), verifyCredential: acceptingVerifier() });
    const [b] = await listSdJwtVcs({ wallet });
    expect(b?.claims.residentRegistrationNumber).toBe("900101-1******");
    expect(JSON.stringify(b)).not.toContain("1234567");
    expect(b?.remaining).toBe(2);
  });

  it("uses a different copy per verifier, the same copy again for the same verifier, and discloses only what is asked", async () => {
    const { wallet } = await setUp();
    const { keys } = await createHolderKeys({ wallet, count: 2 });
    const copies = await issue(keys);
    await importSdJwtVcCopies({ wallet, copies, verifyCredential: acceptingVerifier() });
    const shopA1 = shopRequest("shop-a.example.kr");
    const a1 = await presentSdJwtVcCopy({ wallet, request: shopA1 });
    const a2 = await presentSdJwtVcCopy({ wallet, request: shopRequest("shop-a.example.kr") });
    const b1 = await presentSdJwtVcCopy({ wallet, request: shopRequest("shop-b.example.kr") });
    expect(a2.copyId).toBe(a1.copyId);
    expect(b1.copyId).not.toBe(a1.copyId);
    expect(b1.remaining).toBe(0);
    expect(a1.disclosed).toEqual(["age_equal_or_over.19"]);
    // What the shop can read: the age answer only, bound to the shop and its challenge by the copy's key.
    const seen = await verifySdJwtVc({
      token: a1.presentation,
      now: T0,
      chainId: 31337n,
      verifyIssuerSignature: es256kPublicKeyVerifier(getBytes(SigningKey.computePublicKey(ISSUER_KEY, true))),
      keyBinding: { audience: "shop-a.example.kr", nonce: shopA1.challenge as string },
    });
    expect(seen.ok && seen.value.claims).toEqual({ age_equal_or_over: { "19": true } });
    // The two shops' presentations share no disclosure and no holder key.
    const disclosures = (p: string) => new Set(p.split("~").slice(1, -1));
    const da = disclosures(a1.presentation);
    expect([...disclosures(b1.presentation)].some((d) => da.has(d))).toBe(false);
    expect(a1.presentation.split(".")[1]).not.toBe(b1.presentation.split(".")[1]);
    await expect(presentSdJwtVcCopy({ wallet, request: shopRequest("shop-c.example.kr") })).rejects.toMatchObject({ code: "WALLET_NO_UNUSED_COPY" });
    expect((await listSdJwtVcs({ wallet }))[0]).toMatchObject({ remaining: 0, usedBy: ["shop-a.example.kr", "shop-b.example.kr"] });
  });

  it("refuses a request whose claims are not dotted claim paths (REQUEST_INVALID)", async () => {
    const { wallet } = await setUp();
    for (const claims of [[{ path: "a..b" }], [{ path: "x", required: "yes" }], [{ path: "x", extra: 1 }], "age", [{ path: "x" }, { path: "x" }]]) {
      await expect(presentSdJwtVcCopy({ wallet, request: presentationRequest({ credentialTypes: ["ResidentIDCredential"], claims }) })).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    }
  });

  it("discloses nothing personal when the request names no claims", async () => {
    const { wallet } = await setUp();
    const { keys } = await createHolderKeys({ wallet, count: 1 });
    await importSdJwtVcCopies({ wallet, copies: await issue(keys), verifyCredential: acceptingVerifier() });
    const r = await presentSdJwtVcCopy({ wallet, request: presentationRequest({ credentialTypes: ["ResidentIDCredential"] }) });
    expect(r.presentation.split("~")).toHaveLength(2); // issuer JWT, then the KB-JWT: no disclosure
    expect(r.disclosed).toEqual([]);
  });
});
