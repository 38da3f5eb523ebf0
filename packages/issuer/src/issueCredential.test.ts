import { readFileSync, existsSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Signature, SigningKey, computeAddress, encodeBytes32String, getAddress, sha256, toUtf8Bytes } from "ethers";
import type { Contract } from "ethers";
import { connectContracts, createEthrDidResolver } from "@mobile-id/chain";
import { ES256KSigner } from "did-jwt";
import { createVerifiableCredentialJwt, verifyCredential as didJwtVcVerifyCredential } from "did-jwt-vc";
import {
  ReasonCode,
  credentialTypeId,
  findCredentialType,
  isMobileIdError,
  parseCompactJws,
  validateClaims,
} from "@mobile-id/core";
import type { Issuer } from "./createIssuer.ts";
import { createJwtSigner } from "./createJwtSigner.ts";
import { IssuerErrorCode } from "./errors.ts";
import { type Testbed, devWallet, newHolder, startTestbed, studentClaims } from "./testing.ts";

/** The address whose key made the 64-byte ES256K signature of a compact JWS. */
function signerOf(jwt: string): string[] {
  const [h, p, s] = jwt.split(".");
  const sig = Buffer.from(s!, "base64url");
  const digest = sha256(toUtf8Bytes(`${h}.${p}`));
  const r = `0x${sig.subarray(0, 32).toString("hex")}`;
  const sv = `0x${sig.subarray(32).toString("hex")}`;
  return [27, 28].map((v) => computeAddress(SigningKey.recoverPublicKey(digest, Signature.from({ r, s: sv, v }))));
}

function decode(jwt: string) {
  const parsed = parseCompactJws(jwt, { maxBytes: 16_384 });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.jws;
}

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (isMobileIdError(e)) {
      expect(e.code).toBe(code);
      return;
    }
    throw e;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

describe("issuing credentials (in-process chain)", () => {
  let tb: Testbed;
  let issuer: Issuer;
  let status: Contract;
  const opened: Issuer[] = [];
  const open: Testbed["open"] = async (o) => {
    const i = await tb.open(o);
    opened.push(i);
    return i;
  };

  beforeAll(async () => {
    tb = await startTestbed();
    status = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).statusRegistry;
    issuer = await open();
    await issuer.ensureStatusLists();
  });
  afterAll(async () => {
    for (const i of opened) await i.close();
    await tb.net.chain.close();
  });

  it("issues a VC JWT exactly in the core README format, signed by the issuer's key", async () => {
    const holder = newHolder();
    const claims = studentClaims();
    const expiresAt = tb.clock() + 4 * 365 * 86_400;
    const issued = await issuer.issue({ type: "StudentIDCredential", holder, claims, expiresAt });

    const { header, payload } = decode(issued.jwt);
    // The kid names the owner key: a verifier tries that one key, however many delegates the DID has.
    expect(header).toStrictEqual({ alg: "ES256K", typ: "JWT", kid: `${tb.issuerDid}#controller` });
    expect(Object.keys(payload).sort()).toStrictEqual(["exp", "iss", "jti", "nbf", "sub", "vc"]);
    const registry = getAddress(tb.net.descriptor.contracts.statusRegistry.address);
    const cs = issued.credentialStatus;
    expect(payload).toStrictEqual({
      iss: tb.issuerDid,
      sub: holder,
      nbf: tb.clock(),
      exp: expiresAt,
      jti: issued.id,
      vc: {
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://mobile-id.example/contexts/mobile-id-v1.jsonld"],
        type: ["VerifiableCredential", "StudentIDCredential"],
        credentialSchema: { id: "https://mobile-id.example/schemas/student-id.v1.json", type: "JsonSchema" },
        credentialSubject: claims,
        credentialStatus: {
          id: `urn:mobile-id:status:31337:${registry}:${cs.revocationListId}:${cs.suspensionListId}:${cs.statusListIndex}`,
          type: "MobileIdStatusListEntry",
          statusRegistry: registry,
          revocationListId: cs.revocationListId,
          suspensionListId: cs.suspensionListId,
          statusListIndex: cs.statusListIndex,
        },
      },
    });
    expect(issued.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const s of [cs.revocationListId, cs.suspensionListId, cs.statusListIndex]) expect(s).toMatch(/^[0-9]+$/);
    // The subject as a verifier rebuilds it satisfies the schema.
    const vc = payload["vc"] as { credentialSubject: Record<string, unknown> };
    expect(validateClaims(findCredentialType("StudentIDCredential")!, { id: payload["sub"], ...vc.credentialSubject }).ok).toBe(true);
    // Signed by the identity's owner key.
    expect(signerOf(issued.jwt)).toContain(tb.owner.address);
    // The pair exists on the ledger: this issuer's, right purposes, index in range, entry clear.
    for (const [listId, purpose] of [[cs.revocationListId, 1n], [cs.suspensionListId, 2n]] as const) {
      const list = await status.getFunction("statusList")(listId);
      expect(getAddress(list.issuer)).toBe(tb.owner.address);
      expect(list.purpose).toBe(purpose);
      const [set, owner, p] = await status.getFunction("entryStatus")(listId, cs.statusListIndex);
      expect([set, getAddress(owner), p]).toStrictEqual([false, tb.owner.address, purpose]);
    }
    // The record.
    const record = issuer.getCredential(issued.id)!;
    expect(record).toMatchObject({ type: "StudentIDCredential", holder, status: "active", expiresAt, history: [] });
    expect(record.credentialStatus).toStrictEqual(cs);
  });

  it("signs through the JWT-VC format module bytes that did-jwt-vc wrote before, and that its verifyCredential accepts", async () => {
    const holder = newHolder();
    const issued = await issuer.issue({ type: "StudentIDCredential", holder, claims: studentClaims() });
    const { header, payload } = decode(issued.jwt);
    // Byte for byte what did-jwt-vc's createVerifiableCredentialJwt wrote for the same claims with the same key
    // (ES256K signatures are deterministic, RFC 6979): the move to the format module left the wire format as it was.
    const { iss, ...rest } = payload;
    const theirs = await createVerifiableCredentialJwt(
      rest as never,
      { did: iss as string, signer: ES256KSigner(Buffer.from(tb.owner.privateKey.slice(2), "hex")), alg: "ES256K" },
      { header: { alg: "ES256K", kid: header["kid"] as string } },
    );
    expect(issued.jwt).toBe(theirs);
    // And the stock library verifies it against the ledger's DID document.
    const resolver = createEthrDidResolver({ provider: tb.provider, descriptor: tb.net.descriptor, cache: false });
    const verified = await didJwtVcVerifyCredential(issued.jwt, resolver);
    expect(verified.verified).toBe(true);
    expect(verified.issuer).toBe(tb.issuerDid);
    expect(verified.verifiableCredential.credentialSubject.id).toBe(holder);
    // A flipped signature bit is refused by the same library (the check above can fail).
    const sig = Buffer.from(issued.jwt.split(".")[2]!, "base64url");
    sig[5] = sig[5]! ^ 1;
    const tampered = `${issued.jwt.split(".").slice(0, 2).join(".")}.${sig.toString("base64url")}`;
    await expect(didJwtVcVerifyCredential(tampered, resolver)).rejects.toThrow();
  });

  it("refuses a JWT signer of another algorithm than the did:ethr key type (ES256K)", async () => {
    await expectCode(open({ jwtSigner: { ...createJwtSigner(tb.owner.privateKey), alg: "ES256" } }), "INVALID_ARGUMENT");
  });

  it("does not modify the caller's claims and accepts claims.id equal to the holder", async () => {
    const holder = newHolder();
    const claims = Object.freeze({ ...studentClaims(), id: holder });
    const issued = await issuer.issue({ type: "StudentIDCredential", holder, claims });
    const vc = decode(issued.jwt).payload["vc"] as { credentialSubject: Record<string, unknown> };
    expect(vc.credentialSubject["id"]).toBeUndefined();
    expect(claims.id).toBe(holder);
  });

  it("refuses claims that violate the type's schema, and consumes no status entry", async () => {
    const before = issuer.statusLists().map((p) => p.used);
    const count = issuer.listCredentials({ limit: 1000 }).items.length;
    const holder = newHolder();
    const cases: Record<string, unknown>[] = [
      studentClaims({ studentNumber: "x" }), // pattern
      studentClaims({ enrollmentStatus: "graduated" }), // enum
      studentClaims({ nickname: "mj" }), // additional property
      studentClaims({ birthDate: "2005-02-30" }), // format
      (({ familyName: _, ...rest }) => rest)(studentClaims()), // required
    ];
    for (const claims of cases) {
      try {
        await issuer.issue({ type: "StudentIDCredential", holder, claims });
        throw new Error("issued");
      } catch (e) {
        expect(isMobileIdError(e, IssuerErrorCode.CLAIMS_INVALID)).toBe(true);
        expect((e as { details: { errors: string[] } }).details.errors.length).toBeGreaterThan(0);
      }
    }
    await expectCode(issuer.issue({ type: "StudentIDCredential", holder, claims: { ...studentClaims(), id: newHolder() } }), IssuerErrorCode.CLAIMS_INVALID);
    expect(issuer.statusLists().map((p) => p.used)).toStrictEqual(before);
    expect(issuer.listCredentials({ limit: 1000 }).items.length).toBe(count);
  });

  it("refuses holders that are not public-key did:ethr of this chain, unknown types and bad validity", async () => {
    const claims = studentClaims();
    const addressForm = `did:ethr:0x7a69:${tb.operator.address.toLowerCase()}`;
    const notOnCurve = `did:ethr:0x7a69:0x02${"ff".repeat(32)}`;
    for (const holder of [addressForm, newHolder(1), "did:example:123", newHolder().replace("did:ethr:0x7a69:", "did:ethr:"), notOnCurve, `${newHolder()}#key-1`]) {
      await expectCode(issuer.issue({ type: "StudentIDCredential", holder, claims }), IssuerErrorCode.HOLDER_DID_INVALID);
    }
    await expectCode(issuer.issue({ type: "LibraryCard", holder: newHolder(), claims }), "UNKNOWN_CREDENTIAL_TYPE");
    await expectCode(issuer.issue({ type: "StudentIDCredential", holder: newHolder(), claims, validFrom: tb.clock() - 60 }), "INVALID_ARGUMENT");
    await expectCode(issuer.issue({ type: "StudentIDCredential", holder: newHolder(), claims, expiresAt: tb.clock() }), "INVALID_ARGUMENT");
  });

  it("refuses a type the issuer is not accredited for", async () => {
    const claims = { familyName: "김", givenName: "민준", birthDate: "2005-03-14" };
    await expectCode(issuer.issue({ type: "ResidentIDCredential", holder: newHolder(), claims }), IssuerErrorCode.ISSUER_NOT_IN_FORCE);
  });

  it("refuses to issue while the accreditor has suspended the issuer, and issues again once reinstated", async () => {
    const ttl = 30;
    const cached = await open({ standingCacheTtlSeconds: ttl });
    const uncached = await open({ standingCacheTtlSeconds: 0 });
    await cached.ensureStatusLists({ sparePairs: 0 });
    await uncached.ensureStatusLists({ sparePairs: 0 });
    const request = () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
    await tb.syncClock();
    await cached.issue(request()); // warms the cache

    const registry = connectContracts({ descriptor: tb.net.descriptor, runner: tb.net.roster.accreditors.education.signer }).accreditationRegistry;
    const moe = await tb.net.roster.accreditors.education.signer.getAddress();
    const typeId = credentialTypeId("StudentIDCredential", 1);
    await (await registry.getFunction("suspend")(moe, tb.owner.address, typeId, ReasonCode.AUDIT_FINDING)).wait();
    try {
      await expectCode(uncached.issue(request()), IssuerErrorCode.ISSUER_NOT_IN_FORCE);
      // Documented trade-off: a cached positive answer is reused for at most `ttl` seconds...
      await cached.issue(request());
      // ...then the ledger is asked again.
      tb.clock.advance(ttl);
      await expectCode(cached.issue(request()), IssuerErrorCode.ISSUER_NOT_IN_FORCE);
    } finally {
      await (await registry.getFunction("reinstate")(moe, tb.owner.address, typeId, ReasonCode.REVIEW_CLEARED)).wait();
    }
    await tb.syncClock();
    await uncached.issue(request());
    await cached.issue(request()); // refusals are not cached
  });

  it("signs with an ERC-1056 veriKey delegate, and refuses a key that is neither owner nor delegate", async () => {
    const delegate = devWallet(11, tb.provider);
    const delegated = await open({ jwtSigner: createJwtSigner(delegate.privateKey), standingCacheTtlSeconds: 0 });
    await delegated.ensureStatusLists({ sparePairs: 0 });
    const request = { type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() };
    await expectCode(delegated.issue(request), IssuerErrorCode.SIGNER_NOT_AUTHORIZED);

    const did = connectContracts({ descriptor: tb.net.descriptor, runner: tb.owner }).didRegistry;
    await (await did.getFunction("addDelegate")(tb.owner.address, encodeBytes32String("veriKey"), delegate.address, 86_400)).wait();
    const issued = await delegated.issue(request);
    expect(decode(issued.jwt).payload["iss"]).toBe(tb.issuerDid);
    expect(decode(issued.jwt).header["kid"]).toBe(`${tb.issuerDid}#delegate-${delegate.address.toLowerCase()}`);
    const signers = signerOf(issued.jwt);
    expect(signers).toContain(delegate.address);
    expect(signers).not.toContain(tb.owner.address);
  });

  it("keeps no claim values by default (database and WAL bytes), and keeps them only when configured", async () => {
    const path = `${tb.dir}/no-claims.db`;
    const plain = await tb.open({ databasePath: path });
    await plain.ensureStatusLists({ sparePairs: 0 });
    const marker = { familyName: "Zyxwvutsrq", givenName: "Qponmlkjih", studentNumber: "ZZ-987654", institution: "Unique Institute 42" };
    const issued = await plain.issue({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims(marker) });
    expect(plain.getCredential(issued.id)!.claims).toBeUndefined();
    await plain.close();
    const bytes = Buffer.concat([path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    for (const value of Object.values(marker)) expect(bytes.includes(Buffer.from(value))).toBe(false);
    expect(bytes.includes(Buffer.from(issued.id))).toBe(true); // the record itself is there
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM credentials WHERE claims IS NOT NULL").get()!["n"]).toBe(0);
    db.close();

    const keeping = await open({ storeClaims: true });
    await keeping.ensureStatusLists({ sparePairs: 0 });
    const kept = await keeping.issue({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims(marker) });
    expect(keeping.getCredential(kept.id)!.claims).toStrictEqual(studentClaims(marker));
  });

  it("hands out random, unused entries: no reuse, no sequential pattern, spread over the list", async () => {
    const fresh = await open();
    await fresh.ensureStatusLists({ sparePairs: 0 });
    const n = 500;
    // Concurrent requests: they share group commits; order of completion is issuance order.
    const issued = await Promise.all(
      Array.from({ length: n }, () => fresh.issue({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() })),
    );
    const indexes = issued.map((c) => Number(c.credentialStatus.statusListIndex));
    const size = 2 ** 17;
    expect(new Set(indexes).size).toBe(n);
    expect(indexes.every((i) => Number.isInteger(i) && i >= 0 && i < size)).toBe(true);
    // Adjacent issuances land far apart (random: P(|Δ| < 64) ≈ 0.001 per pair).
    const close = indexes.slice(1).filter((v, k) => Math.abs(v - indexes[k]!) < 64).length;
    expect(close).toBeLessThanOrEqual(5);
    // No monotone trend: Spearman's rank correlation of issuance order and index is near 0 (sd ≈ 0.045).
    const ranks = new Map([...indexes].sort((a, b) => a - b).map((v, r) => [v, r] as const));
    const d2 = indexes.reduce((acc, v, k) => acc + (ranks.get(v)! - k) ** 2, 0);
    expect(Math.abs(1 - (6 * d2) / (n * (n * n - 1)))).toBeLessThan(0.2);
    // Spread: each eighth of the list holds between 30 and 100 of 500 (expected 62.5, sd ≈ 7.4).
    const buckets = Array.from({ length: 8 }, (_, b) => indexes.filter((i) => Math.floor(i / (size / 8)) === b).length);
    for (const count of buckets) {
      expect(count).toBeGreaterThanOrEqual(30);
      expect(count).toBeLessThanOrEqual(100);
    }
    // The database agrees.
    const listed = [];
    let page = fresh.listCredentials({ limit: 200 });
    listed.push(...page.items);
    while (page.nextCursor !== undefined) {
      page = fresh.listCredentials({ limit: 200, cursor: page.nextCursor });
      listed.push(...page.items);
    }
    expect(listed.map((r) => Number(r.credentialStatus.statusListIndex)).sort((a, b) => a - b)).toStrictEqual([...indexes].sort((a, b) => a - b));
  });

  it("moves to the next pair past the fill threshold, and refuses when no pair accepts", async () => {
    // 2^17 × 0.0001 → 13 entries per pair.
    const small = await open({ statusLists: { sizeLog2: 17, fillThreshold: 0.0001, sparePairs: 0 } });
    const request = () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() });
    await expectCode(small.issue(request()), IssuerErrorCode.STATUS_LISTS_EXHAUSTED);
    const { created } = await small.ensureStatusLists();
    expect(created).toHaveLength(1);
    const first = await small.issueMany(Array.from({ length: 13 }, request));
    expect(new Set(first.map((c) => c.credentialStatus.revocationListId)).size).toBe(1);
    await expectCode(small.issue(request()), IssuerErrorCode.STATUS_LISTS_EXHAUSTED);
    const again = await small.ensureStatusLists({ sparePairs: 1 });
    expect(again.created).toHaveLength(2);
    const next = await small.issue(request());
    expect(next.credentialStatus.revocationListId).toBe(again.created[0]!.revocationListId);
    expect(small.statusLists().map((p) => [p.used, p.accepting])).toStrictEqual([[13, false], [1, true], [0, true]]);
  });

  it("issueMany is all or nothing: one bad request refuses the batch with its position", async () => {
    const before = issuer.listCredentials({ limit: 1000 }).items.length;
    const good = { type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() };
    try {
      await issuer.issueMany([good, good, { ...good, claims: studentClaims({ studentNumber: "!" }) }]);
      throw new Error("issued");
    } catch (e) {
      expect(isMobileIdError(e, IssuerErrorCode.CLAIMS_INVALID)).toBe(true);
      expect((e as { details: { position: number } }).details.position).toBe(2);
    }
    expect(issuer.listCredentials({ limit: 1000 }).items.length).toBe(before);
  });

  it("lists what it issued by type, status and holder, a page at a time", async () => {
    const lister = await open();
    await lister.ensureStatusLists({ sparePairs: 0 });
    const holder = newHolder();
    const mine = await lister.issueMany(Array.from({ length: 5 }, () => ({ type: "StudentIDCredential", holder, claims: studentClaims() })));
    await lister.issueMany(Array.from({ length: 7 }, () => ({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() })));
    await lister.revoke({ ids: [mine[0]!.id], reason: ReasonCode.GRADUATION });
    expect(lister.listCredentials({ holder }).items.map((r) => r.id)).toStrictEqual(mine.map((c) => c.id));
    expect(lister.listCredentials({ status: "revoked" }).items.map((r) => r.id)).toStrictEqual([mine[0]!.id]);
    expect(lister.listCredentials({ status: "active", holder }).items).toHaveLength(4);
    expect(lister.listCredentials({ type: "DriversLicenseCredential" }).items).toHaveLength(0);
    const p1 = lister.listCredentials({ limit: 5 });
    const p2 = lister.listCredentials({ limit: 5, cursor: p1.nextCursor! });
    const p3 = lister.listCredentials({ limit: 5, cursor: p2.nextCursor! });
    expect([p1.items.length, p2.items.length, p3.items.length, p3.nextCursor]).toStrictEqual([5, 5, 2, undefined]);
    expect(new Set([...p1.items, ...p2.items, ...p3.items].map((r) => r.id)).size).toBe(12);
    tb.clock.advance(400 * 86_400);
    try {
      expect(lister.listCredentials({ expired: true }).items).toHaveLength(12);
      expect(lister.listCredentials({ expired: false }).items).toHaveLength(0);
    } finally {
      tb.clock.advance(-400 * 86_400);
    }
    await expectCode(() => lister.listCredentials({ limit: 0 }), "INVALID_ARGUMENT");
    await expectCode(() => lister.listCredentials({ cursor: "abc" }), "INVALID_ARGUMENT");
  });

  it("refuses a database that belongs to another issuer, and a second process on the same database", async () => {
    const path = `${tb.dir}/shared.db`;
    const first = await tb.open({ databasePath: path });
    await expectCode(tb.open({ databasePath: path }), IssuerErrorCode.DATABASE_UNAVAILABLE);
    await first.close();
    const other = devWallet(6, tb.provider); // Seoul Metropolitan Government
    await expectCode(
      tb.open({ databasePath: path, issuer: `did:ethr:0x7a69:${other.address.toLowerCase()}`, owner: other }),
      IssuerErrorCode.DATABASE_MISMATCH,
    );
    await expectCode(first.issue({ type: "StudentIDCredential", holder: newHolder(), claims: studentClaims() }), IssuerErrorCode.ISSUER_CLOSED);
  });
});
