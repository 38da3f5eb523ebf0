import { generateKeyPairSync } from "node:crypto";
import { findCredentialType, parseEthrDid, toPublicKeyEthrDid, validateClaims } from "@mobile-id/core";
import { computeAgeClaims, sdJwtVcProfileOf } from "@mobile-id/core/sd-jwt-vc";
import { validateSdJwtVcPayload } from "../validateSdJwtVcPayload.ts";
import type { Openid4vciFormat } from "./openid4vciStore.ts";

// Stand-ins for what only the wallet supplies later (its key, its DID): the schemas constrain their shape only.
const standIn = (() => {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  return { jwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y } };
})();
const STAND_IN_KEY = "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

/**
 * @internal The schema errors the offered claims would meet at issuance, per format (empty: none), so that the
 * agency hears of a bad record when it creates the offer, not the holder when the wallet redeems it. The same
 * schemas as issuance (`issueSdJwtVc` checks the whole payload; `issue` the `credentialSubject`).
 */
export function checkOfferClaims(p: {
  readonly type: string;
  readonly formats: readonly Openid4vciFormat[];
  readonly claims: Readonly<Record<string, unknown>>;
  readonly issuerDid: string;
  readonly now: number;
}): string[] {
  const type = findCredentialType(p.type);
  if (type === undefined) return [`unknown credential type ${p.type}`];
  const errors: string[] = [];
  if (p.formats.includes("jwt_vc_json")) {
    const r = validateClaims(type, { id: toPublicKeyEthrDid(parseEthrDid(p.issuerDid)?.chainId ?? 0n, STAND_IN_KEY), ...p.claims });
    if (!r.ok) errors.push(...r.errors.map((e) => `jwt_vc_json: ${e}`));
  }
  const profile = sdJwtVcProfileOf(p.type);
  if (p.formats.includes("dc+sd-jwt") && profile !== undefined) {
    const reserved = Object.keys(p.claims).filter((k) => !profile.claims.includes(k) || k.startsWith("age_"));
    const age = typeof p.claims["birthDate"] === "string" ? computeAgeClaims(p.claims["birthDate"], p.now, profile.ageThresholds) : undefined;
    const r = validateSdJwtVcPayload(profile, {
      iss: p.issuerDid,
      iat: p.now,
      exp: p.now + 86_400,
      vct: profile.vct,
      cnf: standIn,
      status: { status_list: { idx: 0, uri: "https://status.example/status-lists/0/0" } },
      ...p.claims,
      ...(age === undefined ? {} : age),
    });
    errors.push(...reserved.map((k) => `dc+sd-jwt: /${k} is not a claim the issuer may set`));
    if (!r.ok) errors.push(...r.errors.map((e) => `dc+sd-jwt: ${e}`));
  }
  return errors;
}
