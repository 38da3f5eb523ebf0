import { describe, expect, it } from "vitest";
import { decodeBase64, statusBit } from "./statusBits.ts";

describe("statusBit", () => {
  it("reads entry i at bit i mod 8 of byte i / 8 (the services' order)", () => {
    const bits = new Uint8Array(4);
    bits[1] = 0b0000_0100; // entry 10
    bits[3] = 0b1000_0000; // entry 31
    const set = Array.from({ length: 32 }, (_, i) => statusBit(bits, i)).flatMap((v, i) => (v === true ? [i] : []));
    expect(set).toEqual([10, 31]);
  });

  it("answers undefined out of range", () => {
    expect(statusBit(new Uint8Array(1), 8)).toBeUndefined();
    expect(statusBit(new Uint8Array(1), -1)).toBeUndefined();
    expect(statusBit(new Uint8Array(1), 1.5)).toBeUndefined();
  });

  it("decodes the base64 the services send", () => {
    expect(Array.from(decodeBase64(Buffer.from([0, 4, 255]).toString("base64")))).toEqual([0, 4, 255]);
  });
});
