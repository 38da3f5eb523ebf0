import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secp256k1 } from "@noble/curves/secp256k1";
import { getAddress } from "ethers";
import { parseEthrDid } from "../did.ts";
import { isPublicKeyEthrDid, parseEthrDidFast, toChecksumAddress } from "./ethrDid.ts";

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString("hex"));

describe("parseEthrDidFast", () => {
  it("agrees with parseEthrDid on public-key DIDs (valid points and not), address DIDs and garbage", () => {
    const did = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.utils.isValidPrivateKey(k)).map((k) => `did:ethr:0x7a69:0x${Buffer.from(secp256k1.getPublicKey(k, true)).toString("hex")}`),
      hex(32).map((x) => `did:ethr:0x7a69:0x02${x}`),
      hex(32).map((x) => `did:ethr:0x1:0x03${x.toUpperCase()}`),
      hex(20).map((x) => `did:ethr:0x7a69:0x${x}`),
      hex(20).map((x) => `did:ethr:0x${x}`),
      fc.string(),
    );
    fc.assert(
      fc.property(did, (d) => {
        expect(parseEthrDidFast(d)).toEqual(parseEthrDid(d));
        expect(parseEthrDidFast(d)).toEqual(parseEthrDid(d)); // cached answer too
      }),
      { numRuns: 1000 },
    );
  });

  it("isPublicKeyEthrDid answers as parseEthrDid restricted to public-key DIDs of one chain", () => {
    const did = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.utils.isValidPrivateKey(k)).map((k) => `did:ethr:0x7a69:0x${Buffer.from(secp256k1.getPublicKey(k, true)).toString("hex")}`),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.utils.isValidPrivateKey(k)).map((k) => `did:ethr:0x1:0x${Buffer.from(secp256k1.getPublicKey(k, true)).toString("hex").toUpperCase()}`),
      hex(32).map((x) => `did:ethr:0x7a69:0x02${x}`),
      hex(32).map((x) => `did:ethr:0x07A69:0x03${x.toUpperCase()}`),
      hex(20).map((x) => `did:ethr:0x7a69:0x${x}`),
      hex(32).map((x) => `did:ethr:0x02${x}`),
      fc.string(),
    );
    fc.assert(
      fc.property(did, fc.constantFrom(31337, 1, 31337n), (d, chainId) => {
        const parsed = parseEthrDid(d);
        expect(isPublicKeyEthrDid(d, chainId)).toBe(parsed?.publicKey !== undefined && parsed.chainId === BigInt(chainId));
      }),
      { numRuns: 1000 },
    );
  });

  it("checksums as EIP-55", () => {
    fc.assert(fc.property(hex(20), (x) => {
      expect(toChecksumAddress(x)).toBe(getAddress(`0x${x}`));
    }), { numRuns: 500 });
  });
});
