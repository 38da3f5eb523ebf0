import { SigningKey, Wallet, computeAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { signingKeyAttribute } from "./signingKeyAttribute.ts";

const key = new SigningKey(Wallet.createRandom().privateKey);
const address = computeAddress(key.publicKey).toLowerCase();

describe("signingKeyAttribute", () => {
  it("reads veriKey and sigAuth secp256k1 keys, compressed or not, with or without 0x, under every encoding name", () => {
    for (const name of ["did/pub/Secp256k1/veriKey", "did/pub/Secp256k1/veriKey/hex", "did/pub/Secp256k1/veriKey/base64", "did/pub/Secp256k1/sigAuth/base58"]) {
      for (const value of [key.compressedPublicKey, key.publicKey, key.compressedPublicKey.slice(2)]) {
        const read = signingKeyAttribute(name, value);
        expect(read?.address, `${name} ${value}`).toBe(address);
        expect(read?.use).toBe(name.includes("sigAuth") ? "sigAuth" : "veriKey");
      }
    }
  });

  it("refuses other names, other algorithms, and values that are no point on the curve", () => {
    for (const name of ["did/pub/Secp256k1/enc/hex", "did/pub/Ed25519/veriKey/base64", "did/pub/Secp256k1/veriKey/pem", "did/svc/MessagingService", "xdid/pub/Secp256k1/veriKey"]) {
      expect(signingKeyAttribute(name, key.compressedPublicKey), name).toBeUndefined();
    }
    for (const value of ["0x", "0x1234", `0x02${"ff".repeat(32)}`, `0x05${"11".repeat(32)}`, `0x04${"00".repeat(64)}`, `${key.compressedPublicKey}00`]) {
      expect(signingKeyAttribute("did/pub/Secp256k1/veriKey/hex", value), value).toBeUndefined();
    }
  });
});
