import { SigningKey, Wallet, computeAddress, getBytes, sha256, toUtf8Bytes } from "ethers";
import { describe, expect, it } from "vitest";
import type { PartyFacts, StatusListFacts } from "../lib/api.ts";
import { createStatusChecker, es256kSigners, signedByIssuer } from "./status.ts";

const b64url = (data: Uint8Array | string) => Buffer.from(typeof data === "string" ? data : Buffer.from(data)).toString("base64url");

/** A compact JWS signed ES256K (r ‖ s over SHA-256 of the signing input), as did-jwt writes it. */
function signJws(key: SigningKey, payload: object): string {
  const input = `${b64url(JSON.stringify({ alg: "ES256K", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}`;
  const sig = key.sign(sha256(toUtf8Bytes(input)));
  return `${input}.${b64url(Uint8Array.from([...getBytes(sig.r), ...getBytes(sig.s)]))}`;
}

const issuerKey = new SigningKey(Wallet.createRandom().privateKey);
const issuer = computeAddress(issuerKey.publicKey);
const other = new SigningKey(Wallet.createRandom().privateKey);
const NOW = 1_800_000_000;

function party(overrides: Partial<PartyFacts> = {}): PartyFacts {
  return {
    identity: issuer,
    did: `did:ethr:0x7a69:${issuer.toLowerCase()}`,
    name: "서울대학교 Seoul National University",
    role: "Issuer",
    keys: { owner: issuer, deactivated: false, delegates: [] },
    standings: [{ type: "StudentIDCredential", inForce: true, status: "Active", accreditorStatus: "Active", validFrom: 0, validUntil: NOW + 1000 }],
    ledger: { blockNumber: 42, timestamp: NOW },
    ...overrides,
  };
}

function list(purpose: "revocation" | "suspension", setIndex?: number): StatusListFacts {
  const bits = new Uint8Array(32);
  if (setIndex !== undefined) bits[setIndex >> 3] = 1 << (setIndex & 7);
  return { listId: purpose === "revocation" ? "7" : "8", issuer, purpose, size: 256, bits: Buffer.from(bits).toString("base64"), ledger: { blockNumber: 42, timestamp: NOW } };
}

function checker(facts: { party?: PartyFacts; revocation?: StatusListFacts; suspension?: StatusListFacts }) {
  const fetchJson = <T,>(path: string): Promise<T> => {
    if (path.startsWith("/parties/")) return Promise.resolve((facts.party ?? party()) as T);
    if (path === "/status-lists/7") return Promise.resolve((facts.revocation ?? list("revocation")) as T);
    if (path === "/status-lists/8") return Promise.resolve((facts.suspension ?? list("suspension")) as T);
    return Promise.reject(new Error(path));
  };
  return createStatusChecker({ fetchJson, now: () => NOW });
}

const credential = (key = issuerKey) => ({
  issuer: `did:ethr:0x7a69:${issuer.toLowerCase()}`,
  jwt: signJws(key, { iss: `did:ethr:0x7a69:${issuer.toLowerCase()}` }),
  validity: "valid" as const,
  type: "StudentIDCredential",
  credentialStatus: { revocationListId: "7", suspensionListId: "8", statusListIndex: "13" },
});

describe("the wallet's local status check", () => {
  it("recovers the ES256K signer of a JWS", () => {
    expect(es256kSigners(credential().jwt)).toContain(issuer);
    expect(es256kSigners("a.b.c")).toEqual([]);
  });

  it("accepts the owner key and valid veriKey/sigAuth delegates only", () => {
    const signers = [computeAddress(other.publicKey)];
    const keys = party().keys;
    expect(signedByIssuer(signers, keys, NOW)).toBe(false);
    expect(signedByIssuer(signers, { ...keys, delegates: [{ delegateType: "veriKey", delegate: signers[0]!, validTo: String(NOW + 10) }] }, NOW)).toBe(true);
    expect(signedByIssuer(signers, { ...keys, delegates: [{ delegateType: "veriKey", delegate: signers[0]!, validTo: String(NOW) }] }, NOW)).toBe(false);
    expect(signedByIssuer(signers, { ...keys, delegates: [{ delegateType: "enc", delegate: signers[0]!, validTo: String(NOW + 10) }] }, NOW)).toBe(false);
    expect(signedByIssuer([issuer], { ...keys, deactivated: true }, NOW)).toBe(false);
  });

  it("accepts a valid veriKey/sigAuth public-key attribute (compressed or not, any encoding name), as the verifier does", () => {
    const signers = [computeAddress(other.publicKey)];
    const keys = party().keys;
    const attr = (name: string, value: string, validTo = NOW + 10) => ({ ...keys, attributes: [{ name, value, validTo: String(validTo) }] });
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/veriKey/hex", other.compressedPublicKey), NOW)).toBe(true);
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/sigAuth/base58", other.publicKey), NOW)).toBe(true);
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/veriKey", other.compressedPublicKey.slice(2)), NOW)).toBe(true);
    // Expired or revoked (validTo 0), another key kind, a value that is no key: not the issuer's.
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/veriKey/hex", other.compressedPublicKey, NOW), NOW)).toBe(false);
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/veriKey/hex", other.compressedPublicKey, 0), NOW)).toBe(false);
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/enc/hex", other.compressedPublicKey), NOW)).toBe(false);
    expect(signedByIssuer(signers, attr("did/pub/Ed25519/veriKey/hex", other.compressedPublicKey), NOW)).toBe(false);
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/veriKey/hex", `0x02${"ff".repeat(32)}`), NOW)).toBe(false);
    expect(signedByIssuer(signers, attr("did/pub/Secp256k1/veriKey/hex", "0x1234"), NOW)).toBe(false);
  });

  it("answers valid, revoked, suspended, issuer not in force and bad signature", async () => {
    expect((await checker({}).check(credential())).state).toBe("valid");
    expect(await checker({ revocation: list("revocation", 13) }).check(credential())).toMatchObject({ state: "revoked", code: "CREDENTIAL_REVOKED", issuerName: "서울대학교 Seoul National University", block: 42 });
    expect(await checker({ suspension: list("suspension", 13) }).check(credential())).toMatchObject({ state: "suspended", code: "CREDENTIAL_SUSPENDED" });
    expect((await checker({ revocation: list("revocation", 14) }).check(credential())).state).toBe("valid");
    const suspendedIssuer = party({ standings: [{ type: "StudentIDCredential", inForce: false, status: "Suspended", accreditorStatus: "Active", validFrom: 0, validUntil: NOW + 1 }] });
    expect(await checker({ party: suspendedIssuer }).check(credential())).toMatchObject({ state: "issuer-not-in-force", code: "ISSUER_SUSPENDED" });
    expect(await checker({}).check(credential(other))).toMatchObject({ state: "bad-signature", code: "SIGNATURE_INVALID" });
  });

  it("refuses lists of another issuer or purpose, and says unknown when the services cannot be reached", async () => {
    const foreign = { ...list("revocation"), issuer: computeAddress(other.publicKey) };
    expect(await checker({ revocation: foreign }).check(credential())).toMatchObject({ state: "unknown", code: "STATUS_INVALID" });
    expect(await checker({ revocation: list("suspension") }).check(credential())).toMatchObject({ state: "unknown", code: "STATUS_INVALID" });
    const offline = createStatusChecker({ fetchJson: () => Promise.reject(new Error("offline")), now: () => NOW });
    expect(await offline.check(credential())).toEqual({ state: "unknown" });
  });
});
