import { randomBytes } from "node:crypto";
import type { Verifier, VerifyPresentationReturnType } from "@mobile-id/verifier";

/** Claims the stub verifier returns for a good presentation: tests look for these bytes in the database file. */
export const SECRET_CLAIMS = {
  givenName: "Retention-Canary-7f3a9c",
  studentNumber: "2026-CANARY-4411",
  // Large enough to spill into SQLite overflow pages, which a plain DELETE frees without overwriting.
  portrait: "Portrait-Canary-".repeat(1_000),
} as const;

/**
 * A verifier stand-in for route tests: a presentation `"good"` verifies (with {@link SECRET_CLAIMS}), anything
 * else fails its signature check. Counts calls.
 */
export function stubVerifier(clock: () => number): Verifier & { readonly calls: { verify: number } } {
  const calls = { verify: 0 };
  const outcome = (verified: boolean): VerifyPresentationReturnType => ({
    verified,
    code: verified ? undefined : ("SIGNATURE_INVALID" as VerifyPresentationReturnType["code"]),
    checks: [],
    ledger: undefined,
    holder: verified ? "did:ethr:0x7a69:0x02aa" : undefined,
    credentials: verified
      ? [
          {
            format: "jwt_vc",
            type: "StudentIDCredential",
            typeVersion: 1,
            issuer: "did:ethr:0x7a69:0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
            subject: "did:ethr:0x7a69:0x02aa",
            claims: SECRET_CLAIMS,
            id: undefined,
            validFrom: 0,
            validUntil: 2_000_000_000,
          },
        ]
      : [],
  });
  const stub = {
    calls,
    createPresentationRequest: (p: { domain: string; credentialTypes: readonly string[]; ttlSeconds?: number }) => ({
      type: "MobileIdPresentationRequest" as const,
      challenge: randomBytes(32).toString("base64url"),
      domain: p.domain,
      credentialTypes: [...p.credentialTypes],
      expiresAt: clock() + (p.ttlSeconds ?? 300),
    }),
    verifyPresentation: async (p: { presentation: unknown }) => {
      calls.verify++;
      // Let concurrent answers overlap, as real verification (ledger reads) does.
      await new Promise((r) => setTimeout(r, 20));
      return outcome(p.presentation === "good");
    },
    verifyCredential: async () => {
      throw new Error("not used");
    },
  };
  return stub as unknown as Verifier & { readonly calls: { verify: number } };
}
