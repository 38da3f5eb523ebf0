import { describe, expect, it } from "vitest";
import { encodeBase64url } from "./base64url.ts";
import { parseJwtVp } from "./formats/nodeFormats.ts";
import { MAX_CREDENTIAL_BYTES, MAX_PRESENTATION_BYTES, MAX_PRESENTATION_CREDENTIALS } from "./protocol.ts";

const HOLDER = "did:ethr:0x7a69:0x02b4632d08485ff1df2db55b9dafd23347d1c47a457072a1e87be26896549a8737";
const token = (p: unknown): string =>
  `${encodeBase64url('{"alg":"ES256K","typ":"JWT"}')}.${encodeBase64url(JSON.stringify(p))}.${encodeBase64url(new Uint8Array(64))}`;

function presentation(credentials: readonly string[]): string {
  return token({
    iss: HOLDER,
    aud: "a-verifier-with-a-long-domain-name.example.ac.kr",
    nonce: "x".repeat(64),
    nbf: 1_767_225_600,
    exp: 1_767_225_900,
    jti: `urn:uuid:${"0".repeat(36)}`,
    vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: credentials },
  });
}

describe("protocol constants", () => {
  it("a presentation of one credential at the credential cap fits the presentation cap", () => {
    const credential = `${"a".repeat(100)}.${"b".repeat(MAX_CREDENTIAL_BYTES - 100 - 88 - 2)}.${"c".repeat(86)}`;
    expect(credential.length).toBeLessThanOrEqual(MAX_CREDENTIAL_BYTES);
    const vp = presentation([credential]);
    expect(vp.length).toBeLessThanOrEqual(MAX_PRESENTATION_BYTES);
    const r = parseJwtVp(vp, { chainId: 31337n, maxBytes: MAX_PRESENTATION_BYTES, maxCredentials: MAX_PRESENTATION_CREDENTIALS });
    expect(r).toMatchObject({ ok: true, value: { credentials: [credential] } });
  });

  it("so does one of typical size (4 KiB) repeated up to the credential count cap", () => {
    const credential = `${"a".repeat(100)}.${"b".repeat(4096 - 100 - 88 - 2)}.${"c".repeat(86)}`;
    const vp = presentation(Array.from({ length: MAX_PRESENTATION_CREDENTIALS }, () => credential));
    expect(vp.length).toBeLessThanOrEqual(MAX_PRESENTATION_BYTES);
  });
});
