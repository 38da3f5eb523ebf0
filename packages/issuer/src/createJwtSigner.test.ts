import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ES256KSigner } from "did-jwt";
import { Wallet, hexlify } from "ethers";
import { createJwtSigner } from "./createJwtSigner.ts";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("createJwtSigner (pure)", () => {
  it("signs exactly as did-jwt's ES256KSigner (RFC 6979, low-S, r||s), with the key's address", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ maxLength: 2000 }), async (seed, data) => {
        fc.pre(seed.some((b) => b !== 0));
        let key: string;
        try {
          key = new Wallet(hexlify(seed)).privateKey;
        } catch {
          return; // not a valid scalar
        }
        const signer = createJwtSigner(key);
        expect(signer.alg).toBe("ES256K");
        const sig = Buffer.from(await signer.sign(new TextEncoder().encode(data)));
        const theirs = await ES256KSigner(Buffer.from(key.slice(2), "hex"))(data);
        expect(sig.toString("base64url")).toBe(theirs);
        expect(sig.length).toBe(64);
        expect(BigInt(`0x${sig.subarray(32).toString("hex")}`) <= N / 2n).toBe(true);
      }),
      { numRuns: 60 },
    );
    const wallet = new Wallet(hexlify(randomBytes(32)));
    expect(createJwtSigner(wallet.privateKey).address).toBe(wallet.address);
  });
});
