import { createHash, createPublicKey, verify as verifySignature } from "node:crypto";
import { Openid4vciError } from "./openid4vciError.ts";

export interface VerifyDpopProofParameters {
  /** The `DPoP` request header. */
  readonly proof: string;
  readonly method: "POST";
  /** The endpoint's URL as the client addressed it (no query, no fragment). */
  readonly url: string;
  readonly now: number;
  /** At a resource (the credential endpoint): the access token the proof must hash (`ath`). */
  readonly accessToken?: string;
  /** Seconds a proof's `iat` may be old. Default 300. */
  readonly maxAgeSeconds?: number;
  /** Status of a refusal: 400 at the token endpoint, 401 at a resource (RFC 9449 §5, §7.1). */
  readonly atResource: boolean;
}

/** The RFC 7638 thumbprint of a P-256 public JWK (base64url SHA-256): a DPoP-bound token's `jkt`. */
export function p256Thumbprint(jwk: { readonly x: string; readonly y: string }): string {
  return createHash("sha256").update(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`).digest("base64url");
}

const b64json = (part: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * @internal Checks a DPoP proof (RFC 9449 §4.3): `typ: dpop+jwt`, ES256 with a P-256 public `jwk` in the header
 * and a valid signature, `htm`/`htu` naming this request, a recent `iat`, a `jti`, and `ath` = the access token's
 * hash at a resource. Returns the key's thumbprint (`jkt`) and the `jti` (the caller makes it single use).
 * Throws `invalid_dpop_proof`.
 */
export function verifyDpopProof(p: VerifyDpopProofParameters): { readonly jkt: string; readonly jti: string; readonly expiresAt: number } {
  const fail = (why: string): never => {
    throw new Openid4vciError("invalid_dpop_proof", `DPoP proof: ${why}`, { details: { atResource: p.atResource } });
  };
  const parts = p.proof.split(".");
  if (parts.length !== 3 || p.proof.length > 4096) fail("not a compact JWS");
  const [h, b, s] = parts as [string, string, string];
  const header = b64json(h);
  const payload = b64json(b);
  if (header === undefined || payload === undefined) fail("not a JWT");
  const hd = header as Record<string, unknown>;
  const pl = payload as Record<string, unknown>;
  if (hd["typ"] !== "dpop+jwt") fail("typ must be dpop+jwt");
  if (hd["alg"] !== "ES256") fail("alg must be ES256");
  const jwk = hd["jwk"] as Record<string, unknown> | undefined;
  if (
    typeof jwk !== "object" ||
    jwk === null ||
    jwk["kty"] !== "EC" ||
    jwk["crv"] !== "P-256" ||
    typeof jwk["x"] !== "string" ||
    typeof jwk["y"] !== "string" ||
    "d" in jwk
  ) {
    fail("the header needs a P-256 public jwk");
  }
  const key = jwk as { x: string; y: string };
  let ok = false;
  try {
    const publicKey = createPublicKey({ key: { kty: "EC", crv: "P-256", x: key.x, y: key.y }, format: "jwk" });
    ok = verifySignature("sha256", Buffer.from(`${h}.${b}`, "ascii"), { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
  } catch {
    ok = false;
  }
  if (!ok) fail("bad signature");
  if (pl["htm"] !== p.method) fail("htm does not name this request's method");
  if (typeof pl["htu"] !== "string" || pl["htu"].split(/[?#]/)[0] !== p.url) fail("htu does not name this endpoint");
  const iat = pl["iat"];
  const maxAge = p.maxAgeSeconds ?? 300;
  if (typeof iat !== "number" || iat > p.now + 60 || iat < p.now - maxAge) fail("iat is not recent");
  const jti = pl["jti"];
  if (typeof jti !== "string" || jti.length < 8 || jti.length > 256) fail("jti is required");
  if (p.accessToken !== undefined) {
    const ath = createHash("sha256").update(p.accessToken, "ascii").digest("base64url");
    if (pl["ath"] !== ath) fail("ath does not hash this access token");
  }
  return { jkt: p256Thumbprint(key), jti: jti as string, expiresAt: (iat as number) + maxAge + 60 };
}
