import { describe, expect, it } from "vitest";
import { MAX_PORTRAIT_BYTES } from "./constants.ts";
import { encodeGrayscaleJpeg } from "./jpeg.ts";
import { createSyntheticPortrait, portraitDataUri } from "./syntheticPortrait.ts";
import { maskResidentRegistrationNumber } from "./residentRegistrationNumber.ts";

/**
 * An independent baseline grayscale JPEG decoder (markers, DQT, DHT, Huffman, dequantisation, IDCT), so the
 * encoder is checked against T.81 rather than against itself.
 */
function decodeGrayscaleJpeg(jpeg: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  let pos = 2;
  expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
  const quant = new Array<number>(64).fill(1);
  const tables = new Map<number, Map<string, number>>();
  let width = 0;
  let height = 0;
  const u16 = (i: number) => ((jpeg[i] ?? 0) << 8) | (jpeg[i + 1] ?? 0);
  for (;;) {
    expect(jpeg[pos]).toBe(0xff);
    const marker = jpeg[pos + 1] as number;
    const len = u16(pos + 2);
    const body = jpeg.subarray(pos + 4, pos + 2 + len);
    if (marker === 0xdb) for (let k = 0; k < 64; k++) quant[k] = body[1 + k] as number; // zig-zag order
    if (marker === 0xc0) {
      height = u16(pos + 5);
      width = u16(pos + 7);
      expect(body[5]).toBe(1); // one component
    }
    if (marker === 0xc4) {
      let o = 0;
      while (o < body.length) {
        const id = body[o] as number;
        const counts = body.subarray(o + 1, o + 17);
        let code = 0;
        let k = o + 17;
        const map = new Map<string, number>();
        for (let l = 1; l <= 16; l++) {
          for (let i = 0; i < (counts[l - 1] as number); i++) map.set((code++).toString(2).padStart(l, "0"), body[k++] as number);
          code <<= 1;
        }
        tables.set(id, map);
        o = k;
      }
    }
    pos += 2 + len;
    if (marker === 0xda) break;
  }
  // Entropy-coded data until EOI, unstuffed.
  const bits: number[] = [];
  for (; !(jpeg[pos] === 0xff && jpeg[pos + 1] === 0xd9); pos++) {
    const b = jpeg[pos] as number;
    if (b === 0xff) pos++; // skip stuffed 0x00
    for (let i = 7; i >= 0; i--) bits.push((b >> i) & 1);
  }
  expect(pos).toBe(jpeg.length - 2);
  let bp = 0;
  const read = (table: Map<string, number>): number => {
    let s = "";
    for (;;) {
      s += String(bits[bp++]);
      const v = table.get(s);
      if (v !== undefined) return v;
      if (s.length > 16) throw new Error("bad Huffman code");
    }
  };
  const receive = (size: number): number => {
    let v = 0;
    for (let i = 0; i < size; i++) v = (v << 1) | (bits[bp++] as number);
    return v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
  };
  const zz = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63];
  const dcT = tables.get(0x00) as Map<string, number>;
  const acT = tables.get(0x10) as Map<string, number>;
  const pixels = new Uint8Array(width * height);
  let dc = 0;
  for (let by = 0; by < height; by += 8)
    for (let bx = 0; bx < width; bx += 8) {
      const coef = new Array<number>(64).fill(0);
      const s = read(dcT);
      dc += s === 0 ? 0 : receive(s);
      coef[0] = dc * (quant[0] as number);
      for (let k = 1; k < 64; ) {
        const rs = read(acT);
        if (rs === 0) break;
        k += rs >> 4;
        coef[zz[k] as number] = receive(rs & 15) * (quant[k] as number);
        k++;
      }
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          let v = 0;
          for (let u = 0; u < 8; u++)
            for (let w = 0; w < 8; w++)
              v +=
                (u === 0 ? Math.SQRT1_2 : 1) * (w === 0 ? Math.SQRT1_2 : 1) * (coef[w * 8 + u] as number) *
                Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * w * Math.PI) / 16);
          if (by + y < height && bx + x < width) pixels[(by + y) * width + bx + x] = Math.max(0, Math.min(255, Math.round(v / 4 + 128)));
        }
    }
  return { width, height, pixels };
}

describe("encodeGrayscaleJpeg", () => {
  it("round-trips through an independent decoder with small error, odd sizes included", () => {
    const width = 21;
    const height = 13;
    const pixels = new Uint8Array(width * height).map((_, i) => Math.round(128 + 100 * Math.sin(i / 17)));
    const d = decodeGrayscaleJpeg(encodeGrayscaleJpeg({ width, height, pixels, quality: 95 }));
    expect([d.width, d.height]).toEqual([width, height]);
    let err = 0;
    for (let i = 0; i < pixels.length; i++) err += Math.abs((pixels[i] as number) - (d.pixels[i] as number));
    expect(err / pixels.length).toBeLessThan(3);
  });

  it("stuffs 0xFF bytes in the entropy-coded data (a noisy image produces them)", () => {
    const pixels = new Uint8Array(64 * 64).map((_, i) => (i * 2654435761) % 256);
    const jpeg = encodeGrayscaleJpeg({ width: 64, height: 64, pixels, quality: 100 });
    expect(decodeGrayscaleJpeg(jpeg).width).toBe(64);
  });
});

describe("createSyntheticPortrait", () => {
  it("is a decodable JPEG within the cap, reproducible by seed, different across seeds", () => {
    const a = createSyntheticPortrait({ seed: 5 });
    expect(a.length).toBeLessThanOrEqual(MAX_PORTRAIT_BYTES);
    expect(decodeGrayscaleJpeg(a)).toMatchObject({ width: 192, height: 240 });
    expect(createSyntheticPortrait({ seed: 5 })).toEqual(a);
    expect(createSyntheticPortrait({ seed: 6 })).not.toEqual(a);
  });

  it("lowers quality until a large portrait fits", () => {
    expect(createSyntheticPortrait({ seed: 1, width: 480, height: 600, quality: 100 }).length).toBeLessThanOrEqual(MAX_PORTRAIT_BYTES);
  });

  it("is carried as a standard base64 JPEG data URI", () => {
    const jpeg = createSyntheticPortrait({ seed: 2 });
    const uri = portraitDataUri(jpeg);
    const m = /^data:image\/jpeg;base64,([A-Za-z0-9+/]+={0,2})$/.exec(uri);
    expect(m).not.toBeNull();
    expect(Buffer.from(m?.[1] ?? "", "base64")).toEqual(Buffer.from(jpeg));
  });
});

describe("maskResidentRegistrationNumber", () => {
  it("keeps the birth date and sex digit, hides the rest; refuses malformed numbers", () => {
    expect(maskResidentRegistrationNumber("900101-1234567")).toBe("900101-1******");
    expect(maskResidentRegistrationNumber("9001011234567")).toBeUndefined();
    expect(maskResidentRegistrationNumber("900101-9234567")).toBeUndefined();
  });
});
