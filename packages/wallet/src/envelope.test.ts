import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sha256 } from "@noble/hashes/sha2";
import { isMobileIdError } from "@mobile-id/core";
import { EnvelopeKind, PADDING_BLOCK, openEnvelope, readEnvelopeHeader, sealEnvelope } from "./envelope.ts";
import { WalletError } from "./errors.ts";
import { PRODUCTION_KDF_FLOOR, deriveKeys, newScryptParameters } from "./kdf.ts";
import { PASSPHRASE, TEST_KDF_COST, TEST_KDF_FLOOR } from "./testing.ts";

const plaintext = new TextEncoder().encode(JSON.stringify({ hello: "세계", n: 1 }));
const keys = await deriveKeys(PASSPHRASE, newScryptParameters(TEST_KDF_COST, TEST_KDF_FLOOR));
const sealed = sealEnvelope({ kind: EnvelopeKind.WALLET, generation: 7, keys, plaintext });
const SALT = 16;
/** Offsets of header fields for a 16-byte salt (see envelope.ts). */
const AT = { log2N: 7, salt: 11, nonce: 12 + SALT, generation: 52 + SALT, ciphertext: 64 + SALT };

const open = (bytes: Uint8Array, passphrase = PASSPHRASE, kind: EnvelopeKind = EnvelopeKind.WALLET, floor = TEST_KDF_FLOOR) =>
  openEnvelope({ bytes, kind, floor, passphrase });

/** Applies `edit`, then recomputes the trailing checksum, as a deliberate attacker would. */
function forge(bytes: Uint8Array, edit: (b: Uint8Array) => void): Uint8Array {
  const b = Uint8Array.from(bytes);
  edit(b);
  b.set(sha256(b.subarray(0, b.length - 32)), b.length - 32);
  return b;
}

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  return "NO_ERROR";
}

describe("envelope", () => {
  it("round-trips, padding the plaintext to a block", async () => {
    const { header, plaintext: out } = await open(sealed);
    expect(header.generation).toBe(7);
    expect(new TextDecoder().decode(out).trimEnd()).toBe(new TextDecoder().decode(plaintext));
    expect(out.length % PADDING_BLOCK).toBe(0);
    // Two different small states give files of one size.
    const other = sealEnvelope({ kind: EnvelopeKind.WALLET, generation: 7, keys, plaintext: new Uint8Array(900).fill(0x20) });
    expect(other.length).toBe(sealed.length);
  });

  it("uses a fresh nonce on every seal", () => {
    const again = sealEnvelope({ kind: EnvelopeKind.WALLET, generation: 7, keys, plaintext });
    expect(again.subarray(AT.nonce, AT.nonce + 24)).not.toEqual(sealed.subarray(AT.nonce, AT.nonce + 24));
  });

  it("reports WALLET_TAMPERED for a flipped bit in every byte of the file, before any key derivation", async () => {
    for (let i = 0; i < sealed.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const b = Uint8Array.from(sealed);
        b[i] = b[i]! ^ mask;
        // The production floor: were the checksum bypassed, a test-cost file would fail differently.
        expect(await codeOf(open(b, PASSPHRASE, EnvelopeKind.WALLET, PRODUCTION_KDF_FLOOR)), `byte ${i}`).toBe("WALLET_TAMPERED");
      }
    }
  });

  it("reports WALLET_TAMPERED for truncation, extension and empty input", async () => {
    expect(await codeOf(open(sealed.subarray(0, sealed.length - 1)))).toBe("WALLET_TAMPERED");
    expect(await codeOf(open(new Uint8Array([...sealed, 0])))).toBe("WALLET_TAMPERED");
    expect(await codeOf(open(new Uint8Array()))).toBe("WALLET_TAMPERED");
  });

  it("with the checksum recomputed: a changed ciphertext, nonce or generation fails the AEAD (tampered), not the passphrase", async () => {
    for (const at of [AT.ciphertext, AT.ciphertext + 100, AT.nonce, AT.generation + 7]) {
      const forged = forge(sealed, (b) => {
        b[at] = b[at]! ^ 1;
      });
      expect(await codeOf(open(forged)), `offset ${at}`).toBe("WALLET_TAMPERED");
    }
  });

  it("with the checksum recomputed: a changed salt changes the key and reads as a wrong passphrase (documented limit)", async () => {
    const forged = forge(sealed, (b) => {
      b[AT.salt] = b[AT.salt]! ^ 1;
    });
    expect(await codeOf(open(forged))).toBe("WALLET_PASSPHRASE_INVALID");
  });

  it("refuses KDF parameters below the floor, above the ceiling, and unknown versions and kinds, before deriving", async () => {
    expect(await codeOf(open(sealed, PASSPHRASE, EnvelopeKind.WALLET, PRODUCTION_KDF_FLOOR))).toBe("WALLET_KDF_TOO_WEAK");
    const lowered = forge(sealed, (b) => (b[AT.log2N] = 9));
    expect(await codeOf(open(lowered))).toBe("WALLET_KDF_TOO_WEAK");
    const raised = forge(sealed, (b) => (b[AT.log2N] = 40));
    expect(await codeOf(open(raised))).toBe("WALLET_KDF_UNSUPPORTED");
    const shortSalt = forge(sealed, (b) => (b[10] = 8));
    expect(await codeOf(open(shortSalt))).toBe("WALLET_KDF_TOO_WEAK");
    expect(await codeOf(open(forge(sealed, (b) => (b[4] = 2))))).toBe("WALLET_VERSION_UNSUPPORTED");
    expect(await codeOf(open(sealed, PASSPHRASE, EnvelopeKind.BACKUP))).toBe("WALLET_KIND_MISMATCH");
    expect(await codeOf(open(forge(sealed, (b) => (b[6] = 2))))).toBe("WALLET_KDF_UNSUPPORTED");
  });

  it("tells a wrong passphrase from tampering", async () => {
    expect(await codeOf(open(sealed, "wrong passphrase"))).toBe("WALLET_PASSPHRASE_INVALID");
  });

  it("normalises the passphrase (NFKC): composed and decomposed Hangul open the same file", async () => {
    const composed = "비밀번호 한글 암호";
    const k = await deriveKeys(composed.normalize("NFC"), newScryptParameters(TEST_KDF_COST, TEST_KDF_FLOOR));
    const file = sealEnvelope({ kind: EnvelopeKind.BACKUP, generation: 1, keys: k, plaintext });
    await expect(open(file, composed.normalize("NFD"), EnvelopeKind.BACKUP)).resolves.toBeDefined();
  });

  it("never throws anything but a WalletError for arbitrary or mutated bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.tuple(fc.nat(sealed.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, m]) => forge(sealed, (b) => (b[i] = b[i]! ^ m))),
        ),
        (bytes) => {
          try {
            readEnvelopeHeader(bytes, { kind: EnvelopeKind.WALLET, floor: TEST_KDF_FLOOR });
          } catch (e) {
            expect(isMobileIdError(e)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
