/**
 * Test helpers for the SD-JWT VC module: fixed keys, a sample issuance per type, and hand-built (adversarial)
 * tokens that the library would never produce. Not exported from the package's entry.
 */
import { p256 } from "@noble/curves/p256";
import { secp256k1 } from "@noble/curves/secp256k1";
import { encodeBase64url } from "../../base64url.ts";
import { type JoseSigner, createP256Signer, createSecp256k1Signer, nobleSha256 } from "./crypto.ts";
import { issueSdJwtVc } from "./issueSdJwtVc.ts";
import { createSyntheticPortrait, portraitDataUri } from "./syntheticPortrait.ts";

export const CHAIN_ID = 31337n;
export const ISSUER_KEY = secp256k1.utils.randomPrivateKey();
export const ISSUER_PUBLIC_KEY = secp256k1.getPublicKey(ISSUER_KEY, true);
export const ISSUER_ADDRESS = "0x" + "1f".repeat(20);
export const ISSUER_DID = `did:ethr:0x7a69:${ISSUER_ADDRESS}`;
export const ISSUER_KID = `${ISSUER_DID}#controller`;
export const issuerSigner = createSecp256k1Signer(ISSUER_KEY, ISSUER_KID);
/** 2026-12-07T12:00:00Z */
export const NOW = 1_796_644_800;
export const STATUS_URI = "https://issuer.example/status-lists/1";
export const PORTRAIT = portraitDataUri(createSyntheticPortrait({ seed: 42 }));

export const SAMPLE_CLAIMS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  ResidentIDCredential: {
    familyName: "Hong",
    givenName: "Gildong",
    birthDate: "1990-01-01",
    residentRegistrationNumber: "900101-1234567",
    address: "1 Sejong-daero, Jongno-gu, Seoul",
    issueDate: "2020-05-01",
    portrait: PORTRAIT,
  },
  DriversLicenseCredential: {
    familyName: "Kim",
    givenName: "Minji",
    birthDate: "2007-12-08",
    licenseNumber: "11-23-456789-01",
    licenseClasses: ["2-ordinary", "1-special-wrecker", "learner-1-ordinary"],
    address: "2 Teheran-ro, Gangnam-gu, Seoul",
    aptitudeTestFrom: "2035-06-01",
    aptitudeTestUntil: "2035-12-31",
    renewalDate: "2035-12-31",
    conditions: ["corrective lenses"],
    portrait: PORTRAIT,
  },
  StudentIDCredential: {
    familyName: "Lee",
    givenName: "Jiwoo",
    englishName: "Jiwoo Lee",
    birthDate: "2005-03-15",
    studentNumber: "2024-12345",
    institution: "Seoul National University",
    department: "Computer Science",
    degreeLevel: "bachelor",
    enrollmentStatus: "on_leave",
    portrait: PORTRAIT,
  },
  CivilServantIDCredential: {
    familyName: "Park",
    givenName: "Seojun",
    birthDate: "1961-06-30",
    employeeNumber: "MOIS-0042",
    agency: "Ministry of the Interior and Safety",
    position: "Director General",
    rankTrack: "senior-executive",
    rankTitle: "고위공무원 나급",
    portrait: PORTRAIT,
  },
};

export function holderSigners(n: number): (JoseSigner & { readonly publicJwk: { kty: "EC"; crv: "P-256"; x: string; y: string } })[] {
  return Array.from({ length: n }, () => createP256Signer(p256.utils.randomPrivateKey()));
}

/** Issues `n` copies of the sample credential of `typeName`, with their holder signers. */
export async function issueSample(typeName: string, n = 1, claims?: Readonly<Record<string, unknown>>) {
  const holders = holderSigners(n);
  const { copies } = await issueSdJwtVc({
    issuer: ISSUER_DID,
    signer: issuerSigner,
    typeName,
    claims: claims ?? (SAMPLE_CLAIMS[typeName] as Readonly<Record<string, unknown>>),
    copies: holders.map((h, i) => ({ holderKey: h.publicJwk, status: { idx: 7 + i * 13, uri: STATUS_URI } })),
    issuedAt: NOW,
    validUntil: NOW + 365 * 86_400,
  });
  return { copies, holders };
}

const encoder = new TextEncoder();
const b64json = (v: unknown): string => encodeBase64url(JSON.stringify(v));

/** A disclosure `[salt, name, value]` (or `[salt, value]` for an array element), and its digest. */
export function disclosure(name: string | undefined, value: unknown, salt = encodeBase64url(p256.utils.randomPrivateKey().subarray(0, 16))) {
  const encoded = b64json(name === undefined ? [salt, value] : [salt, name, value]);
  return { encoded, digest: digestOf(encoded) };
}

export function digestOf(text: string): string {
  return encodeBase64url(nobleSha256(encoder.encode(text)));
}

/** A compact JWS over `header` and `payload` signed by `signer` (no checks: adversarial tokens welcome). */
export async function signJws(header: Record<string, unknown>, payload: Record<string, unknown>, signer: JoseSigner): Promise<string> {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${encodeBase64url(await signer.sign(encoder.encode(input)))}`;
}

/** A well-formed issuer payload for `holder`'s key, to be altered by a test. */
export function basePayload(holder: { readonly publicJwk: object }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER_DID,
    iat: NOW - 60,
    exp: NOW + 86_400,
    vct: "urn:mobile-id:vct:StudentIDCredential:1",
    cnf: { jwk: holder.publicJwk },
    status: { status_list: { idx: 3, uri: STATUS_URI } },
    _sd_alg: "sha-256",
    ...extra,
  };
}

export const ISSUER_HEADER = { typ: "dc+sd-jwt", alg: "ES256K", kid: ISSUER_KID } as const;

/**
 * `<jwt>~<d…>~<kb>`: the issuer JWT, the disclosures, and a KB-JWT over exactly that prefix (or `kbOverride`
 * fields), signed by `holder` unless `kbSigner` is given.
 */
export async function assemble(parameters: {
  readonly jwt: string;
  readonly disclosures: readonly string[];
  readonly holder: JoseSigner;
  readonly kbHeader?: Record<string, unknown>;
  readonly kbPayload?: Record<string, unknown>;
  readonly noKb?: boolean;
}): Promise<string> {
  const prefix = `${parameters.jwt}~${parameters.disclosures.map((d) => `${d}~`).join("")}`;
  if (parameters.noKb === true) return prefix;
  const kb = await signJws(
    parameters.kbHeader ?? { typ: "kb+jwt", alg: "ES256" },
    { iat: NOW, aud: "shop.example", nonce: "challenge-1", sd_hash: digestOf(prefix), ...parameters.kbPayload },
    parameters.holder,
  );
  return `${prefix}${kb}`;
}
