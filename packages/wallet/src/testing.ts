/**
 * Test support for this package's tests (not exported from the package entry): a low KDF cost that only an
 * explicitly injected floor accepts, credential issuance with did-jwt-vc, and presentation requests.
 */
import { ES256KSigner } from "did-jwt";
import { createVerifiableCredentialJwt } from "did-jwt-vc";
import { Wallet as EthersWallet, getBytes } from "ethers";
import { sha256 } from "@noble/hashes/sha2";
import { DEV_CHAIN_ID, JWT_VC_CONTEXTS, encodeBase64url, findCredentialType, toEthrDid } from "@mobile-id/core/browser";
import type { CredentialVerifier } from "./importCredential.ts";
import type { KdfFloor, ScryptCost } from "./kdf.ts";

/** 2^10: about 1 ms. Refused by PRODUCTION_KDF_FLOOR; tests pass TEST_KDF_FLOOR explicitly. */
export const TEST_KDF_COST: ScryptCost = { log2N: 10, r: 8, p: 1 };
export const TEST_KDF_FLOOR: KdfFloor = { minLog2N: 10, minR: 8, minP: 1, minSaltBytes: 16 };
export const PASSPHRASE = "correct horse 배터리 staple";
export const CHAIN_ID = DEV_CHAIN_ID;
export const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z

const issuerKey = new EthersWallet("0x" + "11".repeat(32));
export const ISSUER_DID = toEthrDid(CHAIN_ID, issuerKey.address);

const CLAIMS: Record<string, Record<string, unknown>> = {
  StudentIDCredential: {
    familyName: "김",
    givenName: "민준",
    studentNumber: "2026-12345",
    institution: "서울대학교",
    enrollmentStatus: "enrolled",
  },
  DriversLicenseCredential: { familyName: "김", givenName: "민준", licenseNumber: "11-26-123456-70", licenseClasses: ["2종보통"] },
  ResidentIDCredential: { familyName: "김", givenName: "민준", birthDate: "2000-03-01" },
  CivilServantIDCredential: { familyName: "김", givenName: "민준", employeeNumber: "S-2026-001" },
};

/** A VC JWT as an issuer would write it (structure per the core README; claims abridged for some types). */
export async function issueCredential(params: {
  readonly subject: string;
  readonly type?: string;
  readonly nbf?: number;
  readonly exp?: number;
  readonly claims?: Record<string, unknown>;
}): Promise<string> {
  const type = params.type ?? "StudentIDCredential";
  return createVerifiableCredentialJwt(
    {
      sub: params.subject,
      nbf: params.nbf ?? T0 - 86_400,
      exp: params.exp ?? T0 + 365 * 86_400,
      jti: `urn:uuid:${crypto.randomUUID()}`,
      vc: {
        "@context": [...JWT_VC_CONTEXTS],
        type: ["VerifiableCredential", type],
        credentialSchema: { id: findCredentialType(type)?.schemaUri ?? `urn:mobile-id:schema:${type}:1`, type: "JsonSchema" },
        credentialSubject: params.claims ?? CLAIMS[type] ?? { name: "unknown type" },
        credentialStatus: {
          id: "urn:mobile-id:status:31337:0x0000000000000000000000000000000000000001:7:8:104729",
          type: "MobileIdStatusListEntry",
          statusRegistry: "0x0000000000000000000000000000000000000001",
          revocationListId: "7",
          suspensionListId: "8",
          statusListIndex: "104729",
        },
      },
    },
    { did: ISSUER_DID, signer: ES256KSigner(getBytes(issuerKey.privateKey)), alg: "ES256K" },
  );
}

/** A verifier stub that accepts everything and records what it was asked. */
export function acceptingVerifier(): CredentialVerifier & { readonly calls: string[] } {
  const calls: string[] = [];
  const verify = (jwt: string) => {
    calls.push(jwt);
    return Promise.resolve({ verified: true });
  };
  return Object.assign(verify, { calls });
}

/** A presentation request as a verifier would send it. */
export function presentationRequest(over: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    type: "MobileIdPresentationRequest",
    challenge: encodeBase64url(sha256(new TextEncoder().encode(String(Math.random())))),
    domain: "library.snu.ac.kr",
    credentialTypes: ["StudentIDCredential"],
    expiresAt: T0 + 600,
    ...over,
  };
}
