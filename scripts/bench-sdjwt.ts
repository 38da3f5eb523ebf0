/**
 * `node scripts/bench-sdjwt.ts`: SD-JWT VC micro-benchmark (a benchmark, not a test), printed as JSON.
 *
 *   - ageOnlyPresentationBytes: a "19 or older" answer (one disclosure + KB-JWT), target <= 2,500;
 *   - withPortraitPresentationBytes: name + synthetic portrait;
 *   - presentPerSecond / verifyPerSecond / presentAndVerifyPerSecond, verifyP95Ms: age-only presentations,
 *     each from a different copy (so a different holder key), verified with the Node crypto of
 *     `@mobile-id/core/sd-jwt-vc/node` against a known issuer key (no ledger: the module's own cost);
 *   - copiesPerSecond: issuance in batches of 10 copies (holder keys generated beforehand, as the wallet does).
 * Signers: @noble/curves ES256K for the issuer (as ethers' SigningKey today), OpenSSL ES256 (`nodeP256Signer`)
 * standing in for the phone's secure hardware.
 * One process, one thread. Keep it short: the machine is shared.
 */
import { loadavg } from "node:os";
import { SigningKey, hexlify, randomBytes } from "ethers";
import {
  type JoseSigner,
  type P256PublicJwk,
  createSecp256k1Signer,
  createSyntheticPortrait,
  issueSdJwtVc,
  portraitDataUri,
  presentSdJwtVc,
  verifySdJwtVc,
} from "@mobile-id/core/sd-jwt-vc";
import {
  nodeEs256Verify,
  nodeEs256kPublicKeyVerifier,
  nodeP256Signer,
  nodeSha256,
} from "@mobile-id/core/sd-jwt-vc/node";

const NOW = Math.floor(Date.now() / 1000);
const issuerKey = hexlify(randomBytes(32));
const issuerDid = `did:ethr:0x7a69:${new SigningKey(issuerKey).compressedPublicKey}`;
const signer = createSecp256k1Signer(Buffer.from(issuerKey.slice(2), "hex"), `${issuerDid}#controller`);
const verifyIssuerSignature = nodeEs256kPublicKeyVerifier(Buffer.from(new SigningKey(issuerKey).compressedPublicKey.slice(2), "hex"));
const portrait = portraitDataUri(createSyntheticPortrait({ seed: 11 }));
const claims = {
  familyName: "Kim",
  givenName: "Minji",
  birthDate: "2001-03-04",
  residentRegistrationNumber: "010304-4234567",
  address: "1 Sejong-daero, Jongno-gu, Seoul",
  issueDate: "2021-05-01",
  portrait,
};
type Holder = JoseSigner & { readonly publicJwk: P256PublicJwk };
const newHolder = (): Holder => nodeP256Signer(crypto.getRandomValues(new Uint8Array(32)));

let nextIdx = 0;
async function issueBatch(holders: readonly Holder[]): Promise<readonly string[]> {
  const { copies } = await issueSdJwtVc({
    issuer: issuerDid,
    signer,
    typeName: "ResidentIDCredential",
    claims,
    copies: holders.map((h) => ({ holderKey: h.publicJwk, status: { idx: nextIdx++, uri: "https://issuer.example/status/1" } })),
    issuedAt: NOW,
    validUntil: NOW + 365 * 86_400,
    sha256: nodeSha256,
  });
  return copies;
}

/**
 * Runs `fn` for about `ms` milliseconds after a short warm-up. Returns per-call wall-clock durations and the
 * process CPU time spent: on a shared machine the CPU rate (calls per CPU-second, i.e. per core) is the stable
 * figure, the wall-clock rate depends on the other tenants.
 */
async function timed(ms: number, fn: (i: number) => Promise<unknown>): Promise<{ durations: number[]; cpuMs: number }> {
  for (let i = 0; i < 20; i++) await fn(i);
  const durations: number[] = [];
  const cpu0 = process.cpuUsage();
  const end = performance.now() + ms;
  for (let i = 0; performance.now() < end; i++) {
    const t = performance.now();
    await fn(i);
    durations.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  return { durations, cpuMs: (cpu.user + cpu.system) / 1000 };
}
const rate = (r: { durations: readonly number[] }): number => Math.round((r.durations.length * 1000) / r.durations.reduce((a, b) => a + b, 0));
const cpuRate = (r: { durations: readonly number[]; cpuMs: number }): number => Math.round((r.durations.length * 1000) / r.cpuMs);
const p95 = (r: { durations: readonly number[] }): number =>
  Number([...r.durations].sort((a, b) => a - b)[Math.floor(r.durations.length * 0.95)]?.toFixed(3));

// Copies to present from: 50 batches of 10, each copy with its own holder key.
const pool: { copy: string; holder: Holder }[] = [];
for (let b = 0; b < 50; b++) {
  const holders = Array.from({ length: 10 }, newHolder);
  const copies = await issueBatch(holders);
  copies.forEach((copy, i) => pool.push({ copy, holder: holders[i] as Holder }));
}
const pick = (i: number) => pool[i % pool.length] as { copy: string; holder: Holder };
const present = (i: number, claims: Parameters<typeof presentSdJwtVc>[0]["claims"]) =>
  presentSdJwtVc({ credential: pick(i).copy, claims, audience: "shop.example", nonce: `nonce-${i}`, issuedAt: NOW, holderSigner: pick(i).holder, sha256: nodeSha256 });
const verify = async (token: string, i: number) => {
  const r = await verifySdJwtVc({
    token,
    now: NOW,
    chainId: 31337n,
    verifyIssuerSignature,
    keyBinding: { audience: "shop.example", nonce: `nonce-${i}` },
    requestedClaims: [["age_equal_or_over", "19"]],
    sha256: nodeSha256,
    es256Verify: nodeEs256Verify,
  });
  if (!r.ok) throw new Error(`verification failed: ${r.code} ${r.message}`);
};

const AGE = [["age_equal_or_over", "19"]] as const;
const ageOnly = await present(0, AGE);
const withPortrait = await present(1, ["familyName", "givenName", "portrait"]);
const presentations = await Promise.all(Array.from({ length: 500 }, (_, i) => present(i, AGE)));

const presentD = await timed(1500, (i) => present(i, AGE));
const verifyD = await timed(1500, (i) => verify(presentations[i % 500] as string, i % 500));
const bothD = await timed(1500, async (i) => verify(await present(i, AGE), i));
// References from the same run: the issuer signature alone, and the issuer signature check alone.
const signInput = new TextEncoder().encode(pick(0).copy.split(".").slice(0, 2).join("."));
const signOnlyD = await timed(1000, () => signer.sign(signInput));
const [jwtHeader, jwtPayload, jwtSignature] = pick(0).copy.split("~")[0]?.split(".") ?? [];
const checkEnvelope = {
  alg: "ES256K",
  kid: `${issuerDid}#controller`,
  issuer: { did: issuerDid, chainId: 31337n, address: "" },
  signingInput: `${jwtHeader}.${jwtPayload}`,
  signature: Buffer.from(jwtSignature ?? "", "base64url"),
};
const checkOnlyD = await timed(1000, async () => verifyIssuerSignature(checkEnvelope));
const holderBatches = Array.from({ length: 400 }, () => Array.from({ length: 10 }, newHolder));
const issueD = await timed(1500, (i) => issueBatch(holderBatches[i % 400] as Holder[]));

console.log(
  JSON.stringify(
    {
      sdJwtVc: {
        ageOnlyPresentationBytes: ageOnly.length,
        ageOnlyTargetBytes: 2500,
        withPortraitPresentationBytes: withPortrait.length,
        portraitJpegBytes: Math.floor(((portrait.length - "data:image/jpeg;base64,".length) * 3) / 4),
        fullCredentialBytes: pick(0).copy.length,
        presentPerSecond: rate(presentD),
        presentPerCpuSecond: cpuRate(presentD),
        verifyPerSecond: rate(verifyD),
        verifyPerCpuSecond: cpuRate(verifyD),
        verifyP95Ms: p95(verifyD),
        presentAndVerifyPerSecond: rate(bothD),
        presentAndVerifyPerCpuSecond: cpuRate(bothD),
        copiesPerSecond: rate(issueD) * 10,
        copiesPerCpuSecond: cpuRate(issueD) * 10,
        copiesPerSecondTarget: 1000,
        reference: {
          es256kSignPerCpuSecond: cpuRate(signOnlyD),
          es256kVerifyPerCpuSecond: cpuRate(checkOnlyD),
        },
        batchSize: 10,
      },
      node: process.version,
      loadAverage1m: Number(loadavg()[0]?.toFixed(2)),
    },
    null,
    2,
  ),
);
