import { describe, expect, it } from "vitest";
import { createResponseEncryptionKey, decryptResponseJwe, encryptResponseJwe } from "./responseEncryption.ts";

describe("direct_post.jwt response encryption (ECDH-ES, A128GCM / A256GCM)", () => {
  it("decrypts what was encrypted to the key, with either enc and with apu/apv", () => {
    const { privateJwk, publicJwk } = createResponseEncryptionKey();
    for (const enc of ["A128GCM", "A256GCM"] as const) {
      const jwe = encryptResponseJwe({ recipient: publicJwk, plaintext: '{"state":"s"}', enc, apu: "YXB1", apv: "bm9uY2U" });
      expect(decryptResponseJwe(jwe, privateJwk)).toBe('{"state":"s"}');
    }
  });

  it("refuses another key, a changed ciphertext or header, an encrypted key, another alg", () => {
    const { privateJwk, publicJwk } = createResponseEncryptionKey();
    const jwe = encryptResponseJwe({ recipient: publicJwk, plaintext: "hello" });
    const parts = jwe.split(".");
    expect(decryptResponseJwe(jwe, createResponseEncryptionKey().privateJwk)).toBeUndefined();
    const flipped = [...parts];
    flipped[3] = Buffer.from(Buffer.from(parts[3]!, "base64url").map((b, i) => (i === 0 ? b ^ 1 : b))).toString("base64url");
    expect(decryptResponseJwe(flipped.join("."), privateJwk)).toBeUndefined();
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString()) as Record<string, unknown>;
    const reheader = (h: Record<string, unknown>) => [Buffer.from(JSON.stringify(h)).toString("base64url"), ...parts.slice(1)].join(".");
    expect(decryptResponseJwe(reheader({ ...header, alg: "ECDH-ES+A128KW" }), privateJwk)).toBeUndefined();
    expect(decryptResponseJwe(reheader({ ...header, enc: "A192GCM" }), privateJwk)).toBeUndefined();
    expect(decryptResponseJwe(reheader({ ...header, kid: "other" }), privateJwk)).toBeUndefined();
    expect(decryptResponseJwe([parts[0], "AAAA", ...parts.slice(2)].join("."), privateJwk)).toBeUndefined();
    expect(decryptResponseJwe(42, privateJwk)).toBeUndefined();
  });
});
