/**
 * The article's story once more, with SD-JWT VC (issue 10), in-process against a real ledger node (anvil): the
 * resident-ID and student-ID issuers each issue a batch of copies bound to keys the holder's wallet made; a shop
 * asks only "19 or older" and learns nothing else; a library asks name, student status and portrait; two shops
 * receive copies with nothing in common; the resident ID is revoked and the shop refuses it.
 */
import { randomInt } from "node:crypto";
import { getBytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReasonCode, decodeBase64url, settableClock } from "@mobile-id/core";
import { type P256PublicJwk, createSecp256k1Signer, createSyntheticPortrait, issueSdJwtVc, portraitDataUri } from "@mobile-id/core/sd-jwt-vc";
import { type Verifier } from "@mobile-id/verifier";
import { type TestIssuer, type TestKit, startAnvilTestKit } from "@mobile-id/verifier/testing";
import { type Wallet, createHolderKeys, createWallet, importSdJwtVcCopies, memoryWalletStorage, presentSdJwtVcCopy } from "@mobile-id/wallet";

const PORTRAIT = portraitDataUri(createSyntheticPortrait({ seed: 11 }));
const RESIDENT = {
  familyName: "Hong",
  givenName: "Gildong",
  birthDate: "1990-01-01",
  residentRegistrationNumber: "900101-1234567",
  address: "1 Sejong-daero, Jongno-gu, Seoul",
  issueDate: "2020-05-01",
  portrait: PORTRAIT,
};
const STUDENT = {
  familyName: "Hong",
  givenName: "Gildong",
  englishName: "Gildong Hong",
  birthDate: "1990-01-01",
  studentNumber: "2024-12345",
  institution: "Seoul National University",
  department: "Computer Science",
  degreeLevel: "bachelor",
  enrollmentStatus: "enrolled",
  portrait: PORTRAIT,
};

/**
 * Every value a verifier receives that could tell one holder from another: the issuer JWT's payload and signature,
 * each disclosure, the KB-JWT's payload and signature. (The JWS headers name only the issuer's key and the
 * algorithms: the same for every holder of that issuer.)
 */
function segments(presentation: string): Set<string> {
  const parts = presentation.split("~");
  const jws = (t: string) => t.split(".").slice(1);
  return new Set([...jws(parts[0] as string), ...parts.slice(1, -1), ...jws(parts.at(-1) as string)].filter((s) => s.length > 0));
}
const payloadOf = (presentation: string) =>
  JSON.parse(new TextDecoder().decode(decodeBase64url(presentation.split(".")[1] as string))) as { cnf: unknown; status: { status_list: { idx: number } } };
/** The disclosures' `[name, value]` (or `[value]` for array elements), decoded. */
function disclosed(presentation: string): unknown[][] {
  return presentation
    .split("~")
    .slice(1, -1)
    .map((d) => (JSON.parse(new TextDecoder().decode(decodeBase64url(d))) as unknown[]).slice(1));
}

describe("the article's story with SD-JWT VC: say only what is asked, leave no trail", () => {
  let kit: TestKit;
  let verifier: Verifier;
  let wallet: Wallet;
  const residentIdx: number[] = [];
  let residentIssuer: TestIssuer;

  async function issueTo(issuer: TestIssuer, typeName: string, claims: Record<string, unknown>, keys: readonly P256PublicJwk[]): Promise<{ copies: readonly string[]; idx: number[] }> {
    const idx = keys.map(() => randomInt(0, 1 << 17));
    const { copies } = await issueSdJwtVc({
      issuer: issuer.did,
      signer: createSecp256k1Signer(getBytes(issuer.wallet.privateKey), `${issuer.did}#controller`),
      typeName,
      claims,
      copies: keys.map((holderKey, i) => ({ holderKey, status: { idx: idx[i] as number, uri: `http://127.0.0.1:8080/status-lists/${issuer.revocationListId}/${issuer.suspensionListId}` } })),
      issuedAt: kit.now(),
      validUntil: kit.now() + 365 * 86_400,
      timeGranularitySeconds: 1,
    });
    return { copies, idx };
  }

  async function ask(domain: string, types: string[], claims: string[]) {
    const request = verifier.createPresentationRequest({ domain, credentialTypes: types, claims: claims.map((path) => ({ path })) });
    const answer = await presentSdJwtVcCopy({ wallet, request });
    const outcome = await verifier.verifyPresentation({ presentation: answer.presentation, request });
    return { answer, outcome };
  }

  beforeAll(async () => {
    kit = await startAnvilTestKit("sd-jwt-story");
    verifier = kit.verifier();
    wallet = await createWallet({
      storage: memoryWalletStorage(),
      passphrase: "한강 correct horse battery",
      chainId: Number(kit.chainId),
      kdf: { log2N: 10, r: 8, p: 1 },
      unsafeKdfFloor: { minLog2N: 10, minR: 8, minP: 1, minSaltBytes: 16 },
      now: settableClock(kit.now()),
    });
    residentIssuer = kit.issuerFor("ResidentIDCredential");
    const verifyCredential = async (c: string) => {
      const r = await verifier.verifyCredential({ credential: c });
      return { verified: r.verified, code: r.code };
    };
    const r = await issueTo(residentIssuer, "ResidentIDCredential", RESIDENT, (await createHolderKeys({ wallet, count: 10 })).keys);
    residentIdx.push(...r.idx);
    expect((await importSdJwtVcCopies({ wallet, copies: r.copies, verifyCredential })).remaining).toBe(10);
    const s = await issueTo(kit.issuerFor("StudentIDCredential"), "StudentIDCredential", STUDENT, (await createHolderKeys({ wallet, count: 10 })).keys);
    await importSdJwtVcCopies({ wallet, copies: s.copies, verifyCredential });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it("a shop asks only '19 or older' and learns nothing else", async () => {
    const { answer, outcome } = await ask("shop-a.example.kr", ["ResidentIDCredential"], ["age_equal_or_over.19"]);
    expect(outcome.code).toBeUndefined();
    expect(outcome.credentials[0]?.claims).toEqual({ age_equal_or_over: { "19": true } });
    expect(disclosed(answer.presentation)).toEqual([["19", true]]);
    for (const secret of ["Hong", "1990", "900101", "Sejong", "base64"]) expect(answer.presentation.includes(secret)).toBe(false);
    expect(answer.presentation.length).toBeLessThanOrEqual(2_500);
  });

  it("a library asks name, student status and portrait, and gets exactly those", async () => {
    const { outcome } = await ask("library.snu.ac.kr", ["StudentIDCredential"], ["familyName", "givenName", "enrollmentStatus", "portrait"]);
    expect(outcome.code).toBeUndefined();
    expect(outcome.credentials[0]?.type).toBe("StudentIDCredential");
    expect(outcome.credentials[0]?.claims).toEqual({ familyName: "Hong", givenName: "Gildong", enrollmentStatus: "enrolled", portrait: PORTRAIT });
  });

  it("two shops receive copies with nothing in common", async () => {
    const a = await ask("shop-b.example.kr", ["ResidentIDCredential"], ["age_equal_or_over.19"]);
    const b = await ask("shop-c.example.kr", ["ResidentIDCredential"], ["age_equal_or_over.19"]);
    expect(a.outcome.verified && b.outcome.verified).toBe(true);
    expect(a.outcome.holder).not.toBe(b.outcome.holder);
    const shared = [...segments(a.answer.presentation)].filter((s) => segments(b.answer.presentation).has(s));
    expect(shared).toEqual([]);
    const [pa, pb] = [payloadOf(a.answer.presentation), payloadOf(b.answer.presentation)];
    expect(pa.cnf).not.toEqual(pb.cnf);
    expect(pa.status.status_list.idx).not.toBe(pb.status.status_list.idx);
  });

  it("once the resident ID is revoked (every copy), the shop refuses it: CREDENTIAL_REVOKED", async () => {
    for (const idx of residentIdx) await kit.status(residentIssuer.wallet, "revoke", [residentIssuer.revocationListId, idx, ReasonCode.KEY_COMPROMISE]);
    await kit.sync();
    const { outcome } = await ask("shop-a.example.kr", ["ResidentIDCredential"], ["age_equal_or_over.19"]);
    expect(outcome.verified).toBe(false);
    expect(outcome.code).toBe("CREDENTIAL_REVOKED");
  });
});
