import { randomBytes } from "node:crypto";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Contract } from "ethers";
import { connectContracts } from "@mobile-id/chain";
import { ReasonCode, credentialTypeId, isMobileIdError } from "@mobile-id/core";
import { verifySdJwtVc } from "@mobile-id/core/sd-jwt-vc";
import { nodeEs256kPublicKeyVerifier, nodeEs256Verify, nodeP256Signer, nodeSha256 } from "@mobile-id/core/sd-jwt-vc/node";
import type { Issuer } from "./createIssuer.ts";
import { IssuerErrorCode } from "./errors.ts";
import { jwkThumbprintUri, statusListUriOf } from "./issueSdJwtVcBatch.ts";
import { TokenStatus, tokenStatusList } from "./statusListToken.ts";
import { type Testbed, startTestbed, studentClaims } from "./testing.ts";

const BASE = "http://services.test:8080";

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (isMobileIdError(e)) {
      expect(e.code).toBe(code);
      return;
    }
    throw e;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

const holderKeys = (n: number) => Array.from({ length: n }, () => nodeP256Signer(randomBytes(32)).publicJwk);
interface CopyPayload {
  readonly iss: string;
  readonly iat: number;
  readonly vct: string;
  readonly cnf: { readonly jwk: unknown };
  readonly status: { readonly status_list: { readonly idx: number; readonly uri: string } };
}
const payloadOf = (copy: string) => JSON.parse(Buffer.from((copy.split("~")[0] as string).split(".")[1] as string, "base64url").toString()) as CopyPayload;

describe("SD-JWT VC batch issuance and status of all copies (in-process chain)", () => {
  let tb: Testbed;
  let issuer: Issuer;
  let status: Contract;
  const bit = async (listId: string, index: number): Promise<boolean> => ((await status.getFunction("entryStatus")(listId, index)) as [boolean])[0];

  beforeAll(async () => {
    tb = await startTestbed();
    status = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).statusRegistry;
    issuer = await tb.open();
    await issuer.ensureStatusLists();
    await tb.syncClock();
  });
  afterAll(async () => {
    await issuer.close();
    await tb.net.chain.close();
  });

  it("dates copies to the hour only where the issuer was already in force then: a verifier judges standing at iat", async () => {
    const accreditations = connectContracts({ descriptor: tb.net.descriptor, runner: tb.provider }).accreditationRegistry;
    const batch = await issuer.issueSdJwtVc({ type: "StudentIDCredential", claims: studentClaims(), holderKeys: holderKeys(2), statusListBaseUrl: BASE });
    const now = tb.clock();
    for (const copy of batch.copies) {
      const { iat } = payloadOf(copy);
      expect(iat).toBeLessThanOrEqual(now);
      expect(iat === now - (now % 3600) || iat > now - 3600).toBe(true);
      // The testbed accredited the issuer moments ago: the hour's start precedes that in almost every run, and
      // a copy dated there would be refused ISSUER_NOT_ACCREDITED by every verifier.
      const standing = (await accreditations.getFunction("standingAt")(tb.owner.address, credentialTypeId("StudentIDCredential", 1), iat)) as { inForce: boolean };
      expect(standing.inForce).toBe(true);
    }
  });

  it("issues N copies, each bound to its own key with its own random entry of ONE pair, signed by the issuer's key", async () => {
    const keys = holderKeys(10);
    const batch = await issuer.issueSdJwtVc({ type: "StudentIDCredential", claims: studentClaims(), holderKeys: keys, statusListBaseUrl: BASE });
    expect(batch.copies).toHaveLength(10);
    expect(batch.format).toBe("dc+sd-jwt");
    const [pair] = issuer.statusLists();
    expect(batch.statusListUri).toBe(statusListUriOf(BASE, pair!));
    const idxs = new Set<number>();
    const issuerCheck = nodeEs256kPublicKeyVerifier(Buffer.from(tb.owner.signingKey.compressedPublicKey.slice(2), "hex"));
    for (const [i, copy] of batch.copies.entries()) {
      const p = payloadOf(copy);
      expect(p.iss).toBe(tb.issuerDid);
      expect(p.vct).toBe("urn:mobile-id:vct:StudentIDCredential:1");
      expect(p.cnf.jwk).toEqual(keys[i]);
      expect(p.status.status_list.uri).toBe(batch.statusListUri);
      idxs.add(p.status.status_list.idx);
      const r = await verifySdJwtVc({
        token: copy,
        chainId: BigInt(tb.net.descriptor.chainId),
        now: tb.clock(),
        sha256: nodeSha256,
        es256Verify: nodeEs256Verify,
        verifyIssuerSignature: issuerCheck,
        keyBinding: undefined,
      });
      expect(r.ok ? "ok" : r.message).toBe("ok");
      if (r.ok) expect((r.value as { claims: Record<string, unknown> }).claims.institution).toBe("서울대학교");
    }
    expect(idxs.size).toBe(10);
    // One record per copy in the issuer's database, grouped under the batch id, without claim values.
    const page = issuer.listCredentials({ limit: 100 });
    const mine = page.items.filter((c) => c.id.startsWith(`${batch.id}.`));
    expect(mine).toHaveLength(10);
    expect(new Set(mine.map((c) => c.holder))).toEqual(new Set(keys.map(jwkThumbprintUri)));
    expect(new Set(mine.map((c) => Number(c.credentialStatus.statusListIndex)))).toEqual(idxs);
    expect(issuer.getCredential(`${batch.id}.0`)?.claims).toBeUndefined();
  });

  it("revoking (or suspending, reinstating) the batch id changes every copy in ONE transaction, and nothing else", async () => {
    const a = await issuer.issueSdJwtVc({ type: "StudentIDCredential", claims: studentClaims(), holderKeys: holderKeys(10), statusListBaseUrl: BASE });
    const b = await issuer.issueSdJwtVc({ type: "StudentIDCredential", claims: studentClaims(), holderKeys: holderKeys(10), statusListBaseUrl: BASE });
    const [pair] = issuer.statusLists();
    const idx = (batch: typeof a) => batch.copies.map((c) => payloadOf(c).status.status_list.idx);

    let before = await tb.provider.getBlockNumber();
    const suspended = await issuer.suspend({ ids: b.id, reason: ReasonCode.DEVICE_LOST });
    expect(suspended.transactions).toHaveLength(1);
    expect(suspended.changed).toHaveLength(10);
    expect(await tb.provider.getBlockNumber()).toBe(before + 1);
    for (const i of idx(b)) expect([await bit(pair!.suspensionListId, i), await bit(pair!.revocationListId, i)]).toEqual([true, false]);

    before = await tb.provider.getBlockNumber();
    const revoked = await issuer.revoke({ ids: [a.id], reason: ReasonCode.CESSATION });
    expect(revoked.transactions).toHaveLength(1);
    expect(revoked.transactions[0]?.entries).toBe(10);
    expect(await tb.provider.getBlockNumber()).toBe(before + 1);
    for (const i of idx(a)) expect(await bit(pair!.revocationListId, i)).toBe(true);
    for (const i of idx(b)) expect(await bit(pair!.revocationListId, i)).toBe(false);

    before = await tb.provider.getBlockNumber();
    expect((await issuer.reinstate({ ids: b.id, reason: ReasonCode.DEVICE_LOST })).transactions).toHaveLength(1);
    expect(await tb.provider.getBlockNumber()).toBe(before + 1);
    for (const i of idx(b)) expect(await bit(pair!.suspensionListId, i)).toBe(false);
    await expectCode(issuer.suspend({ ids: a.id, reason: ReasonCode.DEVICE_LOST }), IssuerErrorCode.CREDENTIAL_REVOKED);
  });

  it("refuses bad holder keys, claims outside the type's SD-JWT VC schema and unknown types, before drawing entries", async () => {
    const used = issuer.statusLists()[0]!.used;
    const issue = (o: Record<string, unknown>) =>
      issuer.issueSdJwtVc({ type: "StudentIDCredential", claims: studentClaims(), holderKeys: holderKeys(2), statusListBaseUrl: BASE, ...o } as never);
    const [k] = holderKeys(1);
    await expectCode(issue({ holderKeys: [k, k] }), IssuerErrorCode.HOLDER_KEY_INVALID);
    await expectCode(issue({ holderKeys: [] }), IssuerErrorCode.HOLDER_KEY_INVALID);
    await expectCode(issue({ holderKeys: holderKeys(51) }), IssuerErrorCode.HOLDER_KEY_INVALID);
    await expectCode(issue({ holderKeys: [{ ...k, d: "AAAA" }] }), IssuerErrorCode.HOLDER_KEY_INVALID);
    await expectCode(issue({ holderKeys: [{ ...k, x: k!.y }] }), IssuerErrorCode.HOLDER_KEY_INVALID); // off the curve
    await expectCode(issue({ claims: studentClaims({ enrollmentStatus: "expelled-ish" }) }), IssuerErrorCode.CLAIMS_INVALID);
    await expectCode(issue({ claims: studentClaims({ age_equal_or_over: { "19": true } }) }), IssuerErrorCode.CLAIMS_INVALID);
    await expectCode(issue({ claims: studentClaims({ iss: "did:ethr:0x1" }) }), IssuerErrorCode.CLAIMS_INVALID);
    await expectCode(issue({ type: "LibraryCard" }), "UNKNOWN_CREDENTIAL_TYPE");
    await expectCode(issue({ statusListBaseUrl: "ftp://x" }), "INVALID_ARGUMENT");
    expect(issuer.statusLists()[0]!.used).toBe(used);
  });

  it("refresh: more copies of an active credential join its record and its pair, and one status change still covers all", async () => {
    const base = { type: "StudentIDCredential", claims: studentClaims(), statusListBaseUrl: BASE };
    const first = await issuer.issueSdJwtVc({ ...base, holderKeys: holderKeys(3) });
    const more = await issuer.issueSdJwtVc({ ...base, holderKeys: holderKeys(2), refresh: first.id });
    expect(more.id).toBe(first.id);
    expect(more.expiresAt).toBe(first.expiresAt);
    expect(more.statusListUri).toBe(first.statusListUri);
    expect(payloadOf(more.copies[0] as string).cnf.jwk).not.toEqual(payloadOf(first.copies[0] as string).cnf.jwk);
    expect(issuer.getCredential(`${first.id}.4`)).toBeDefined();
    await expectCode(issuer.issueSdJwtVc({ ...base, holderKeys: holderKeys(1), refresh: "urn:uuid:nope" }), IssuerErrorCode.CREDENTIAL_NOT_FOUND);
    await expectCode(issuer.issueSdJwtVc({ ...base, holderKeys: holderKeys(1), refresh: first.id, expiresAt: first.expiresAt + 10 }), "INVALID_ARGUMENT");
    await expectCode(issuer.issueSdJwtVc({ ...base, type: "CivilServantIDCredential", holderKeys: holderKeys(1), refresh: first.id }), "INVALID_ARGUMENT");

    await issuer.suspend({ ids: first.id, reason: ReasonCode.DEVICE_LOST });
    await expectCode(issuer.issueSdJwtVc({ ...base, holderKeys: holderKeys(1), refresh: first.id }), IssuerErrorCode.CREDENTIAL_NOT_ACTIVE);
    const before = await tb.provider.getBlockNumber();
    const revoked = await issuer.revoke({ ids: first.id, reason: ReasonCode.CESSATION });
    expect(revoked.changed).toHaveLength(5);
    expect(revoked.transactions).toHaveLength(1);
    expect(await tb.provider.getBlockNumber()).toBe(before + 1);
    await expectCode(issuer.issueSdJwtVc({ ...base, holderKeys: holderKeys(1), refresh: first.id }), IssuerErrorCode.CREDENTIAL_REVOKED);
  });

  it("refuses a batch no pair has room for (STATUS_LISTS_EXHAUSTED) and gives nothing away", async () => {
    // 2^17 entries at 0.00005: 6 entries per pair, fewer than 10.
    const small = await tb.open({ statusLists: { sizeLog2: 17, fillThreshold: 0.00005, sparePairs: 0 } });
    try {
      await small.ensureStatusLists();
      await expectCode(
        small.issueSdJwtVc({ type: "StudentIDCredential", claims: studentClaims(), holderKeys: holderKeys(10), statusListBaseUrl: BASE }),
        IssuerErrorCode.STATUS_LISTS_EXHAUSTED,
      );
      expect(small.statusLists()[0]!.used).toBe(0);
      expect((await small.issueSdJwtVc({ type: "StudentIDCredential", claims: studentClaims(), holderKeys: holderKeys(6), statusListBaseUrl: BASE })).copies).toHaveLength(6);
    } finally {
      await small.close();
    }
  });
});

describe("tokenStatusList", () => {
  it("packs 2 bits per entry, lowest first: revoked 1 (wins over suspended), suspended 2, else 0; zlib-deflated", () => {
    const revoked = new Uint8Array(32);
    const suspended = new Uint8Array(32);
    const set = (bits: Uint8Array, i: number) => (bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7)));
    set(revoked, 5);
    set(suspended, 9);
    set(revoked, 200);
    set(suspended, 200);
    const list = inflateSync(tokenStatusList(revoked, suspended));
    expect(list.length).toBe(64);
    const at = (i: number) => ((list[i >> 2] as number) >> ((i & 3) * 2)) & 3;
    expect([at(5), at(9), at(200), at(0), at(6), at(255)]).toEqual([TokenStatus.INVALID, TokenStatus.SUSPENDED, TokenStatus.INVALID, 0, 0, 0]);
    expect([...list].filter((b) => b !== 0)).toHaveLength(3);
  });
});
