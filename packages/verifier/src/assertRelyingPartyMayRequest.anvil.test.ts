import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DevRoster,
  type LedgerNode,
  type RelyingPartyLedger,
  bootstrapNetwork,
  bootstrapRelyingParties,
  changeRelyingPartyStanding,
  connectContracts,
  createRelyingPartyReader,
  deployNetwork,
  devRoster,
  registerRelyingParty,
  setRelyingPartyClaims,
  startLedgerNode,
} from "@mobile-id/chain";
import { type NetworkDescriptor, ReasonCode, RelyingPartyCode, credentialTypeId, isMobileIdError, toEthrDid } from "@mobile-id/core";
import { assertRelyingPartyMayRequest } from "./assertRelyingPartyMayRequest.ts";

const LICENCE = credentialTypeId("DriversLicenseCredential", 1);

/**
 * Issue 11, relying parties on the ledger, against a real node (anvil): the development counter registered by
 * the bootstrap, a shop registered by the police for one claim of the driver's licence, and every refusal code.
 */
describe("assertRelyingPartyMayRequest (anvil)", () => {
  let node: LedgerNode;
  let dir: string;
  let provider: JsonRpcProvider;
  let roster: DevRoster;
  let descriptor: NetworkDescriptor;
  let ledger: RelyingPartyLedger;
  const shop = Wallet.createRandom();
  const police = () => roster.accreditors.police.signer;
  const now = async () => (await provider.getBlock("latest"))!.timestamp;
  const increaseTime = async (s: number) => {
    await provider.send("evm_increaseTime", [s]);
    await provider.send("evm_mine", []);
  };
  const check = async (claims: readonly (string | readonly string[])[], options: { party?: string; type?: string; at?: number } = {}) =>
    assertRelyingPartyMayRequest({
      ledger,
      relyingParty: options.party ?? toEthrDid(31337, shop.address),
      credentialType: options.type ?? "DriversLicenseCredential",
      claims,
      at: options.at ?? (await now()),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mid-relying-parties-"));
    node = await startLedgerNode({ dataDir: dir });
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    roster = devRoster(provider);
    ({ descriptor } = await deployNetwork({ deployer: roster.root, rootName: roster.rootName, networkName: "rp", rpcUrl: node.url }));
    await bootstrapNetwork({ descriptor, root: roster.root, accreditors: roster.accreditors, issuers: roster.issuers });
    await bootstrapRelyingParties({ descriptor, accreditors: roster.accreditors, relyingParties: roster.relyingParties });
    ledger = createRelyingPartyReader({ descriptor, provider });
    await registerRelyingParty({
      descriptor,
      signer: police(),
      relyingParty: shop.address,
      name: "서울마트 Seoul Mart",
      purpose: "주류 판매 연령 확인 Age check for alcohol sales",
      types: [{ credentialTypeId: LICENCE, claims: [["age_equal_or_over", "19"]] }],
    });
  });
  afterAll(async () => {
    provider?.destroy();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("permits the bootstrapped verifier counter every claim of every type, with its registered name", async () => {
    const counter = await roster.relyingParties[0]!.signer.getAddress();
    const r = await check(["familyName", "birthDate", "photoDigest"], { party: counter, type: "ResidentIDCredential" });
    expect(r.permitted).toBe(true);
    expect(r.registration.name).toBe(roster.relyingParties[0]!.name);
    const student = await check(["enrollmentStatus"], { party: counter, type: "StudentIDCredential" });
    expect(student.permitted).toBe(true);
    // "all" covers the SD-JWT VC claims too: each age threshold by its own path, the portrait, the derived ages.
    const sd = await check([["age_equal_or_over", "19"], ["age_equal_or_over", "65"], "portrait", "age_in_years"], { party: counter });
    expect(sd).toMatchObject({ permitted: true });
    expect(await check([["age_equal_or_over", "18"]], { party: counter })).toMatchObject({ permitted: false, notPermitted: ["age_equal_or_over.18"] });
    // Bootstrapping again changes nothing.
    expect(await bootstrapRelyingParties({ descriptor, accreditors: roster.accreditors, relyingParties: roster.relyingParties })).toEqual([]);
  });

  it("permits the registered claim and refuses any other, naming the ones outside the registration", async () => {
    const ok = await check([["age_equal_or_over", "19"]]);
    expect(ok).toMatchObject({ permitted: true, permittedClaims: ["age_equal_or_over.19"] });
    const more = await check(["age_equal_or_over.19", "familyName", "birthDate"]);
    expect(more).toMatchObject({ permitted: false, code: RelyingPartyCode.CLAIM_NOT_PERMITTED, notPermitted: ["familyName", "birthDate"] });
    const otherType = await check(["familyName"], { type: "ResidentIDCredential" });
    expect(otherType).toMatchObject({ permitted: false, code: RelyingPartyCode.CLAIM_NOT_PERMITTED });
    const tooLong = await check(["a".repeat(40)]);
    expect(tooLong).toMatchObject({ permitted: false, code: RelyingPartyCode.CLAIM_NOT_PERMITTED });
  });

  it("refuses an unregistered party", async () => {
    const r = await check(["age_equal_or_over.19"], { party: Wallet.createRandom().address });
    expect(r).toMatchObject({ permitted: false, code: RelyingPartyCode.RELYING_PARTY_UNREGISTERED });
  });

  it("follows claim changes by the governing accreditor, and refuses a grant by another ministry", async () => {
    await setRelyingPartyClaims({ descriptor, signer: police(), relyingParty: shop.address, credentialTypeId: LICENCE, claims: ["age_equal_or_over.19", "birthDate"] });
    expect((await check(["birthDate"])).permitted).toBe(true);
    const refused = setRelyingPartyClaims({
      descriptor,
      signer: roster.accreditors.education.signer,
      relyingParty: shop.address,
      credentialTypeId: LICENCE,
      claims: ["familyName"],
    });
    await expect(refused).rejects.toMatchObject({ code: "LEDGER_REJECTED", details: { error: "RelyingPartyRegistryOutOfScope" } });
    await setRelyingPartyClaims({ descriptor, signer: police(), relyingParty: shop.address, credentialTypeId: LICENCE, claims: ["age_equal_or_over.19"] });
    expect(await check(["birthDate"])).toMatchObject({ permitted: false, code: RelyingPartyCode.CLAIM_NOT_PERMITTED });
  });

  it("refuses while suspended, answers the past from history, and refuses for good once revoked", async () => {
    await increaseTime(10);
    const before = await now();
    await increaseTime(10);
    await changeRelyingPartyStanding({ descriptor, signer: police(), relyingParty: shop.address, action: "suspend", reason: ReasonCode.AUDIT_FINDING });
    expect(await check(["age_equal_or_over.19"])).toMatchObject({ permitted: false, code: RelyingPartyCode.RELYING_PARTY_SUSPENDED });
    expect((await check(["age_equal_or_over.19"], { at: before })).permitted).toBe(true);
    await changeRelyingPartyStanding({ descriptor, signer: police(), relyingParty: shop.address, action: "reinstate", reason: ReasonCode.REVIEW_CLEARED });
    expect((await check(["age_equal_or_over.19"])).permitted).toBe(true);
    // The root may act on any registration; an issuer may not.
    const byIssuer = changeRelyingPartyStanding({ descriptor, signer: roster.issuers[0]!.signer, relyingParty: shop.address, action: "suspend", reason: ReasonCode.AUDIT_FINDING });
    await expect(byIssuer).rejects.toMatchObject({ details: { error: "RelyingPartyRegistryNotAuthority" } });
    await changeRelyingPartyStanding({ descriptor, signer: roster.root, relyingParty: shop.address, action: "revoke", reason: ReasonCode.MISCONDUCT });
    const revoked = await check(["age_equal_or_over.19"]);
    expect(revoked).toMatchObject({ permitted: false, code: RelyingPartyCode.RELYING_PARTY_REVOKED });
    expect(revoked.registration.name).toBe("서울마트 Seoul Mart");
    const again = changeRelyingPartyStanding({ descriptor, signer: police(), relyingParty: shop.address, action: "reinstate", reason: ReasonCode.REVIEW_CLEARED });
    await expect(again).rejects.toMatchObject({ details: { error: "RelyingPartyRegistryInvalidTransition" } });
  });

  it("refuses outside the registration window, and when the granting accreditor is no longer in force", async () => {
    const bar = Wallet.createRandom();
    const t = await now();
    await registerRelyingParty({
      descriptor, signer: police(), relyingParty: bar.address, name: "Bar", purpose: "Age check",
      validFrom: t, validUntil: t + 3600, types: [{ credentialTypeId: LICENCE, claims: ["age_equal_or_over.19"] }],
    });
    const barCheck = (at?: number) => check(["age_equal_or_over.19"], { party: bar.address, ...(at === undefined ? {} : { at }) });
    expect((await barCheck()).permitted).toBe(true);
    expect(await barCheck(t + 3600)).toMatchObject({ permitted: false, code: RelyingPartyCode.RELYING_PARTY_EXPIRED });

    const registry = connectContracts({ descriptor, runner: roster.root }).accreditationRegistry;
    const rootAddress = await roster.root.getAddress();
    const policeAddress = await police().getAddress();
    await (await registry.getFunction("suspend")(rootAddress, policeAddress, LICENCE, ReasonCode.AUDIT_FINDING)).wait();
    expect(await barCheck()).toMatchObject({ permitted: false, code: RelyingPartyCode.CLAIM_NOT_PERMITTED });
    await (await registry.getFunction("reinstate")(rootAddress, policeAddress, LICENCE, ReasonCode.REVIEW_CLEARED)).wait();
    expect((await barCheck()).permitted).toBe(true);
  });

  it("throws for misuse and fails closed when the ledger cannot be read", async () => {
    await expect(check(["x"], { party: "not-a-did" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(check(["x"], { type: "NoSuchCredential" })).rejects.toMatchObject({ code: "UNKNOWN_CREDENTIAL_TYPE" });
    const dead = new JsonRpcProvider("http://127.0.0.1:9", undefined, { staticNetwork: Network.from(31337), batchMaxCount: 1 });
    const deadLedger = createRelyingPartyReader({ descriptor, provider: dead });
    const failed = assertRelyingPartyMayRequest({ ledger: deadLedger, relyingParty: shop.address, credentialType: "DriversLicenseCredential", claims: [], at: 1 });
    await expect(failed).rejects.toSatisfy((e: unknown) => isMobileIdError(e, "LEDGER_UNAVAILABLE"));
    dead.destroy();
  });
});
