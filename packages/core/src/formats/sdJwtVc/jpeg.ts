/**
 * A tiny dependency-free baseline JPEG encoder (ITU T.81, JFIF), grayscale only: enough for the synthetic
 * portraits of bootstrap and tests, and browser-safe. Standard Annex K luminance tables, float FDCT.
 */

// Annex K.1 luminance quantisation table, natural (row-major) order.
const BASE_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18,
  22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
// Zig-zag position -> natural index.
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];
// Annex K.3 luminance Huffman tables: code counts per length 1..16, then the symbols.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91,
  0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a,
  0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53,
  0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79,
  0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9,
  0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2,
  0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

/** symbol -> [code, length], canonical Huffman codes (Annex C). */
function huffmanCodes(bits: readonly number[], values: readonly number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < (bits[len - 1] ?? 0); i++) codes.set(values[k++] ?? 0, [code++, len]);
    code <<= 1;
  }
  return codes;
}
const DC_CODES = huffmanCodes(DC_BITS, DC_VALUES);
const AC_CODES = huffmanCodes(AC_BITS, AC_VALUES);

// cos((2x+1)uπ/16) * C(u)/2, indexed [u*8+x].
const COS = new Float64Array(64);
for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) COS[u * 8 + x] = ((u === 0 ? Math.SQRT1_2 : 1) / 2) * Math.cos(((2 * x + 1) * u * Math.PI) / 16);

class BitWriter {
  readonly bytes: number[] = [];
  #acc = 0;
  #n = 0;
  write(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.#acc = (this.#acc << 1) | ((code >> i) & 1);
      if (++this.#n === 8) this.#flushByte();
    }
  }
  #flushByte(): void {
    this.bytes.push(this.#acc);
    if (this.#acc === 0xff) this.bytes.push(0); // byte stuffing
    this.#acc = 0;
    this.#n = 0;
  }
  /** Pads the last byte with 1-bits (T.81 F.1.2.3). */
  finish(): void {
    while (this.#n !== 0) this.write(1, 1);
  }
}

function magnitude(v: number): [number, number] {
  let size = 0;
  for (let a = Math.abs(v); a > 0; a >>= 1) size++;
  return [size, v >= 0 ? v : v + (1 << size) - 1];
}

function put(w: BitWriter, codes: Map<number, [number, number]>, symbol: number): void {
  const c = codes.get(symbol);
  if (c === undefined) throw new RangeError(`no Huffman code for ${symbol}`);
  w.write(c[0], c[1]);
}

/** Parameters of {@link encodeGrayscaleJpeg}. */
export interface EncodeGrayscaleJpegParameters {
  readonly width: number;
  readonly height: number;
  /** `width * height` luminance samples, row-major, 0..255. */
  readonly pixels: Uint8Array;
  /** 1..100, libjpeg's scaling of the Annex K table (default 75). */
  readonly quality?: number;
}

/**
 * A baseline grayscale JPEG (JFIF) of `pixels`.
 *
 * @example
 * ```ts
 * const jpeg = encodeGrayscaleJpeg({ width: 8, height: 8, pixels: new Uint8Array(64).fill(128) });
 * jpeg[0] === 0xff && jpeg[1] === 0xd8 // SOI
 * ```
 */
export function encodeGrayscaleJpeg(params: EncodeGrayscaleJpegParameters): Uint8Array {
  const { width, height, pixels } = params;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 65535 || height > 65535)
    throw new RangeError("bad image size");
  if (pixels.length !== width * height) throw new RangeError("pixels.length must be width * height");
  const quality = Math.min(100, Math.max(1, Math.round(params.quality ?? 75)));
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  const quant = BASE_QUANT.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));

  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: readonly number[]): void => {
    out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  };
  segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]); // JFIF 1.1, no thumbnail
  segment(0xdb, [0, ...ZIGZAG.map((i) => quant[i] ?? 1)]);
  segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES]);
  segment(0xda, [1, 1, 0x00, 0, 63, 0]);

  const w = new BitWriter();
  const block = new Float64Array(64);
  const tmp = new Float64Array(64);
  const coef = new Int32Array(64);
  let prevDc = 0;
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        const row = Math.min(by + y, height - 1) * width; // edge replication pads partial blocks
        for (let x = 0; x < 8; x++) block[y * 8 + x] = (pixels[row + Math.min(bx + x, width - 1)] ?? 0) - 128;
      }
      // Separable 2-D DCT-II: rows, then columns.
      for (let y = 0; y < 8; y++)
        for (let u = 0; u < 8; u++) {
          let s = 0;
          for (let x = 0; x < 8; x++) s += (block[y * 8 + x] ?? 0) * (COS[u * 8 + x] ?? 0);
          tmp[y * 8 + u] = s;
        }
      for (let u = 0; u < 8; u++)
        for (let v = 0; v < 8; v++) {
          let s = 0;
          for (let y = 0; y < 8; y++) s += (tmp[y * 8 + u] ?? 0) * (COS[v * 8 + y] ?? 0);
          coef[v * 8 + u] = Math.round(s / (quant[v * 8 + u] ?? 1));
        }
      const dc = coef[0] ?? 0;
      const [dcSize, dcBits] = magnitude(dc - prevDc);
      prevDc = dc;
      put(w, DC_CODES, dcSize);
      if (dcSize > 0) w.write(dcBits, dcSize);
      let run = 0;
      for (let k = 1; k < 64; k++) {
        const v = coef[ZIGZAG[k] ?? 0] ?? 0;
        if (v === 0) {
          run++;
          continue;
        }
        while (run > 15) {
          put(w, AC_CODES, 0xf0);
          run -= 16;
        }
        const [size, bits] = magnitude(v);
        put(w, AC_CODES, (run << 4) | size);
        w.write(bits, size);
        run = 0;
      }
      if (run > 0) put(w, AC_CODES, 0x00);
    }
  }
  w.finish();
  for (const b of w.bytes) out.push(b);
  out.push(0xff, 0xd9);
  return Uint8Array.from(out);
}
