/**
 * `pnpm bench:gas`: the gas of every state-changing function of the trust ledger, measured on Hardhat's
 * embedded chain (EDR) from transaction receipts. Prints a table and writes bench-results/gas.json.
 * A benchmark, not a test: it measures and prints; targets are shown beside the figures.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { type Contract, type ContractTransactionResponse, MaxUint256, type Signer, Wallet, id, toBeHex } from "ethers";
import { connectContracts, devRoster } from "@mobile-id/chain";
import { startTestNetwork } from "@mobile-id/chain/testing";
import { ReasonCode, credentialTypeId, encodeClaimIdentifiers } from "@mobile-id/core";

interface Row {
  readonly key: string;
  readonly gas: number;
  readonly perCredential?: number;
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}
const rows: Row[] = [];

async function gasOf(p: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await p).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("transaction failed");
  return Number(receipt.gasUsed);
}
function record(row: Row): void {
  rows.push(row);
}
const as = (c: Contract, s: Signer) => c.connect(s) as Contract;

/** Deterministic PRNG (mulberry32) so that every run measures the same "random" entries. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Groups entry indexes into sorted (word, mask) pairs, as the issuer software does before a batch. */
function toWordMasks(indexes: readonly number[]): { words: number[]; masks: bigint[] } {
  const byWord = new Map<number, bigint>();
  for (const i of indexes) byWord.set(i >> 8, (byWord.get(i >> 8) ?? 0n) | (1n << BigInt(i & 0xff)));
  const words = [...byWord.keys()].sort((a, b) => a - b);
  return { words, masks: words.map((w) => byWord.get(w)!) };
}

const net = await startTestNetwork();
const { provider } = net.chain;
const roster = devRoster(provider);
const c = connectContracts({ descriptor: net.descriptor, runner: provider });
const acc = c.accreditationRegistry;
const status = c.statusRegistry;
const root = roster.root;
const moe = roster.accreditors.education.signer;
const moeId = await moe.getAddress();
const studentType = credentialTypeId("StudentIDCredential", 1);
const now = async () => (await provider.getBlock("latest"))!.timestamp;

// --- Governance and accreditation ---------------------------------------------------------------------
const newAccreditor = Wallet.createRandom().connect(provider);
record({ key: "registerAccreditor", gas: await gasOf(as(acc, root).getFunction("registerAccreditor")(newAccreditor.address, "국가보훈부 Ministry of Patriots and Veterans Affairs")) });
const veteranType = credentialTypeId("VeteranIDCredential", 1);
record({ key: "registerCredentialType", gas: await gasOf(as(acc, root).getFunction("registerCredentialType")("VeteranIDCredential", 1, id("schema"), "urn:mobile-id:schema:VeteranIDCredential:1", newAccreditor.address)) });
const t0 = await now();
record({
  key: "accredit.accreditor.oneType",
  gas: await gasOf(as(acc, root).getFunction("accreditAccreditor")(newAccreditor.address, [veteranType], t0, t0 + 10 * 365 * 86400, ReasonCode.GRANTED)),
});
const issuers = Array.from({ length: 3 }, () => Wallet.createRandom().connect(provider));
record({ key: "registerIssuer", gas: await gasOf(as(acc, moe).getFunction("registerIssuer")(moeId, issuers[0]!.address, "한국대학교 Hanguk University")) });
await gasOf(as(acc, moe).getFunction("registerIssuer")(moeId, issuers[1]!.address, "Second University"));
const t1 = await now();
const accreditGas = await gasOf(as(acc, moe).getFunction("accreditIssuer")(moeId, issuers[0]!.address, studentType, t1, t1 + 365 * 86400, ReasonCode.GRANTED));
record({ key: "accredit.issuer.oneType", gas: accreditGas, target: "<= 65,000", met: accreditGas <= 65_000 });
await gasOf(as(acc, moe).getFunction("accreditIssuer")(moeId, issuers[1]!.address, studentType, t1, t1 + 365 * 86400, ReasonCode.GRANTED));
record({ key: "accreditation.suspend", gas: await gasOf(as(acc, moe).getFunction("suspend")(moeId, issuers[0]!.address, studentType, ReasonCode.AUDIT_FINDING)) });
record({ key: "accreditation.reinstate", gas: await gasOf(as(acc, moe).getFunction("reinstate")(moeId, issuers[0]!.address, studentType, ReasonCode.REVIEW_CLEARED)) });
record({ key: "accreditation.renew", gas: await gasOf(as(acc, moe).getFunction("renew")(moeId, issuers[0]!.address, studentType, t1 + 2 * 365 * 86400, ReasonCode.RENEWED)) });
record({ key: "accreditation.revoke", gas: await gasOf(as(acc, moe).getFunction("revoke")(moeId, issuers[1]!.address, studentType, ReasonCode.MISCONDUCT)) });
record({ key: "accreditation.suspend.byRoot", gas: await gasOf(as(acc, root).getFunction("suspend")(await root.getAddress(), issuers[0]!.address, studentType, ReasonCode.AUDIT_FINDING)) });
record({ key: "deprecateCredentialType", gas: await gasOf(as(acc, root).getFunction("deprecateCredentialType")(veteranType, ReasonCode.SUPERSEDED)) });
const nextRoot = Wallet.createRandom().connect(provider);
record({ key: "beginRootTransfer", gas: await gasOf(as(acc, root).getFunction("beginRootTransfer")(nextRoot.address)) });
record({ key: "cancelRootTransfer", gas: await gasOf(as(acc, root).getFunction("cancelRootTransfer")()) });

// --- Relying parties (issue 11) --------------------------------------------------------------------------
const rpRegistry = c.relyingPartyRegistry;
const shop = Wallet.createRandom();
const t3 = await now();
const shopName = "서울 편의점 Seoul Convenience Store";
const shopPurpose = "학생 할인 재학 확인 Student discount: enrolment check";
const rpRegisterGas = await gasOf(
  as(rpRegistry, moe).getFunction("registerRelyingParty")(
    moeId,
    shop.address,
    { name: shopName, purpose: shopPurpose, validFrom: t3, validUntil: t3 + 365 * 86400, reason: ReasonCode.GRANTED },
    [studentType],
    [encodeClaimIdentifiers(["enrollmentStatus", "familyName", "givenName"])],
  ),
);
const utf8 = (x: string) => new TextEncoder().encode(x).length;
record({ key: "relyingParty.register", gas: rpRegisterGas, note: `1 type, 3 claims; name ${utf8(shopName)} B, purpose ${utf8(shopPurpose)} B stored` });
record({ key: "relyingParty.setClaims", gas: await gasOf(as(rpRegistry, moe).getFunction("setClaims")(moeId, shop.address, studentType, encodeClaimIdentifiers(["enrollmentStatus"]))), note: "replaces a type's claims; old commitment to history" });
record({ key: "relyingParty.suspend", gas: await gasOf(as(rpRegistry, moe).getFunction("suspend")(moeId, shop.address, ReasonCode.AUDIT_FINDING)), note: "by the registrar" });
record({ key: "relyingParty.reinstate", gas: await gasOf(as(rpRegistry, moe).getFunction("reinstate")(moeId, shop.address, ReasonCode.REVIEW_CLEARED)) });
record({ key: "relyingParty.suspend.byRoot", gas: await gasOf(as(rpRegistry, root).getFunction("suspend")(await root.getAddress(), shop.address, ReasonCode.AUDIT_FINDING)) });

// --- Status lists -------------------------------------------------------------------------------------
const uni = roster.issuers[0]!.signer;
const uniId = await uni.getAddress();
const operator = Wallet.createRandom().connect(provider);
await (await root.sendTransaction({ to: operator.address, value: 10n ** 20n })).wait();
record({ key: "createList", gas: await gasOf(as(status, uni).getFunction("createList")(uniId, 1, 17, [operator.address])) });
const revocationList = Number(await status.getFunction("listCount")());
await gasOf(as(status, uni).getFunction("createList")(uniId, 2, 17, [operator.address]));
const suspensionList = revocationList + 1;
record({ key: "setOperator", gas: await gasOf(as(status, uni).getFunction("setOperator")(revocationList, Wallet.createRandom().address, true)) });

const emptyWord = await gasOf(as(status, operator).getFunction("revoke")(revocationList, 1000, ReasonCode.GRADUATION));
record({ key: "revoke.single.emptyWord", gas: emptyWord, target: "<= 47,000", met: emptyWord <= 47_000 });
const steady = await gasOf(as(status, operator).getFunction("revoke")(revocationList, 1001, ReasonCode.GRADUATION));
record({ key: "revoke.single.steadyState", gas: steady, target: "<= 30,000", met: steady <= 30_000 });
record({ key: "revoke.single.byIssuerKey", gas: await gasOf(as(status, uni).getFunction("revoke")(revocationList, 1002, ReasonCode.GRADUATION)), note: "owner key: list record + ERC-1056 lookup" });
record({ key: "suspend.single", gas: await gasOf(as(status, operator).getFunction("suspend")(suspensionList, 77, ReasonCode.DEVICE_LOST)), note: "first entry in its word" });
record({ key: "suspend.single.steadyState", gas: await gasOf(as(status, operator).getFunction("suspend")(suspensionList, 78, ReasonCode.DEVICE_LOST)) });
record({ key: "reinstate.single", gas: await gasOf(as(status, operator).getFunction("reinstate")(suspensionList, 77, ReasonCode.REVIEW_CLEARED)) });

// 25,600 consecutive entries = 100 full words, in one transaction (a fresh list: every word starts empty).
await gasOf(as(status, uni).getFunction("createList")(uniId, 1, 17, [operator.address]));
const consecutiveList = Number(await status.getFunction("listCount")());
const words100 = Array.from({ length: 100 }, (_, i) => i + 10);
const batchGas = await gasOf(as(status, operator).getFunction("revokeBatch")(consecutiveList, words100, words100.map(() => MaxUint256), ReasonCode.CESSATION));
record({ key: "revoke.batch25600.consecutive", gas: batchGas, perCredential: batchGas / 25_600, target: "<= 100 per credential", met: batchGas / 25_600 <= 100 });

// 1,000 random entries of one list in one transaction, against the storage floor of the words touched.
await gasOf(as(status, uni).getFunction("createList")(uniId, 1, 17, [operator.address]));
const randomList = Number(await status.getFunction("listCount")());
const rand = prng(20261129);
const picked = new Set<number>();
while (picked.size < 1000) picked.add(Math.floor(rand() * 131_072));
const { words, masks } = toWordMasks([...picked]);
const randomGas = await gasOf(as(status, operator).getFunction("revokeBatch")(randomList, words, masks, ReasonCode.CESSATION));
// Every touched word was zero: an SSTORE from zero on a cold slot costs 22,100 (EIP-2929/2200); 21,000 base.
const floor = words.length * 22_100 + 21_000;
record({
  key: "revoke.batch1000.random",
  gas: randomGas,
  perCredential: randomGas / 1000,
  target: `<= 1.1 x floor (${floor.toLocaleString("en-US")} for ${words.length} words)`,
  met: randomGas <= 1.1 * floor,
  note: `ratio ${(randomGas / floor).toFixed(3)}`,
});
const suspendWords = toWordMasks([5, 6, 700, 9000]);
record({ key: "suspendBatch.4entries", gas: await gasOf(as(status, operator).getFunction("suspendBatch")(suspensionList, suspendWords.words, suspendWords.masks, ReasonCode.DEVICE_LOST)) });
record({ key: "reinstateBatch.4entries", gas: await gasOf(as(status, operator).getFunction("reinstateBatch")(suspensionList, suspendWords.words, suspendWords.masks, ReasonCode.REVIEW_CLEARED)) });

// --- ERC-1056, measured here as a reference --------------------------------------------------------------
const did = c.didRegistry;
const holder = Wallet.createRandom().connect(provider);
await (await root.sendTransaction({ to: holder.address, value: 10n ** 18n })).wait();
const setAttributeGas = await gasOf(as(did, holder).getFunction("setAttribute")(holder.address, id("did/pub/Secp256k1/veriKey/hex"), toBeHex(1n, 33), 86400));
record({ key: "erc1056.setAttribute", gas: setAttributeGas, note: "reference, measured here" });
record({ key: "erc1056.changeOwner", gas: await gasOf(as(did, holder).getFunction("changeOwner")(holder.address, Wallet.createRandom().address)), note: "holder key rotation" });

const references: Row[] = [
  { key: "reference.uportRevocationRegistry.revoke", gas: 45_568, note: "uPort/Veramo revocation registry, published" },
  { key: "reference.ebsiTrustedIssuersRegistry.insertIssuer", gas: 542_000, note: "EBSI TIR, published (or more)" },
  { key: "reference.erc1056.setAttribute", gas: 34_934, note: "ERC-1056 setAttribute, published" },
];

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\n${pad("function", 44)}${"gas".padStart(11)}${"per cred.".padStart(11)}  target`);
console.log("-".repeat(100));
for (const r of rows) {
  const per = r.perCredential === undefined ? "" : r.perCredential.toFixed(1);
  const verdict = r.met === undefined ? "" : r.met ? "  met" : "  MISSED";
  console.log(`${pad(r.key, 44)}${r.gas.toLocaleString("en-US").padStart(11)}${per.padStart(11)}  ${r.target ?? ""}${verdict}${r.note ? `  (${r.note})` : ""}`);
}
console.log("-".repeat(100));
for (const r of references) console.log(`${pad(r.key, 44)}${r.gas.toLocaleString("en-US").padStart(11)}${"".padStart(11)}  (${r.note})`);

mkdirSync("bench-results", { recursive: true });
const json: Record<string, unknown> = {
  measuredAt: new Date().toISOString(),
  chain: "Hardhat EDR (in-process), solc 0.8.28, optimizer 10,000 runs, evm cancun",
  command: "pnpm bench:gas",
};
for (const r of [...rows, ...references]) {
  json[r.key] = { gas: r.gas, ...(r.perCredential === undefined ? {} : { perCredential: Number(r.perCredential.toFixed(2)) }), ...(r.target === undefined ? {} : { target: r.target, met: r.met }) };
}
writeFileSync("bench-results/gas.json", `${JSON.stringify(json, null, 2)}\n`);
console.log("\nwrote bench-results/gas.json");
await net.chain.close();
